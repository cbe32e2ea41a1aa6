#!/usr/bin/env bash
# Installs whatever pglens needs that is missing on this machine. Idempotent: every step checks
# first, so a second run costs seconds. Tools built from crates.io live outside the clone in
# $PGLENS_TOOLS (default ~/.cache/pglens-tools) so CI runs on one machine reuse them.
#
#   scripts/setup.sh            everything (build + browser tests + fidelity tests)
#   scripts/setup.sh --no-pg    skip PostgreSQL (serving the app does not need it)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tools="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}"
want_pg=1
for a in "$@"; do case "$a" in --no-pg) want_pg=0 ;; esac; done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
have clang-19 || need_apt+=(clang-19)
have wasm-ld-19 || need_apt+=(lld-19)
have llvm-ar-19 || need_apt+=(llvm-19)
[ -f /usr/lib/llvm-19/lib/libclang.so ] || [ -n "$(ls /usr/lib/llvm-19/lib/libclang*.so* 2>/dev/null)" ] || need_apt+=(libclang-19-dev)
[ -d /usr/include/wasm32-wasi ] || need_apt+=(wasi-libc)
have protoc || need_apt+=(protobuf-compiler)
have chromium || need_apt+=(chromium)
have chromedriver || need_apt+=(chromium-driver)
have node || need_apt+=(nodejs)
have npm || need_apt+=(npm)
have python3 || need_apt+=(python3)
if [ "$want_pg" = 1 ]; then
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql postgresql-contrib)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# --- Rust targets and cargo-installed tools --------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
mkdir -p "$tools"
export PATH="$tools/bin:$tools/node_modules/.bin:$PATH"

trunk_version=0.21.14
if ! trunk --version 2>/dev/null | grep -q "$trunk_version"; then
  say "cargo install trunk $trunk_version (about 10 minutes on 2 cores, once)"
  cargo install --root "$tools" trunk --version "$trunk_version" --locked
fi
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock or trunk tries to download one.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$here/Cargo.lock")
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "cargo install wasm-bindgen-cli $wb_version"
  # Its own lockfile pins a crate the registry does not serve, so no --locked.
  cargo install --root "$tools" wasm-bindgen-cli --version "$wb_version"
fi

# --- wasm-opt from npm (Debian's binaryen is too old for current rustc output) ---------------
binaryen_version=$(node -e "console.log(require('$here/package.json').devDependencies.binaryen)")
if ! "$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${binaryen_version%%.*}"; then
  say "npm install binaryen@$binaryen_version"
  cp "$here/package.json" "$here/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --silent --no-audit --no-fund)
fi

# --- pg_query for wasm32: the overlay include dir must be an absolute path --------------------
mkdir -p "$here/.cargo"
sed "s#@REPO@#$here#g" "$here/scripts/cargo-config.toml.in" > "$here/.cargo/config.toml"

say "ready: tools in $tools (add $tools/bin to PATH, or use the scripts, which do)"
