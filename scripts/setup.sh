#!/usr/bin/env bash
# Installs whatever pglens needs that is missing on this machine. Idempotent: every step checks
# first, so a second run costs a second or two. Tools built from crates.io and npm live outside the
# clone in $PGLENS_TOOLS (default ~/.cache/pglens-tools) so CI runs on one machine reuse them.
#
#   scripts/setup.sh            everything (build + browser tests + fidelity tests)
#   scripts/setup.sh --no-pg    skip PostgreSQL (serving the app does not need it)
#
# Afterwards put "$PGLENS_TOOLS/bin" on PATH (trunk, wasm-bindgen, wasm-bindgen-test-runner,
# wasm-opt). Versions and the reasons for them: ../shared/TOOLCHAIN.md.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tools="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}"
want_pg=1
for a in "$@"; do
  case "$a" in
    --no-pg) want_pg=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup]\033[0m %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# --- Debian packages -------------------------------------------------------------------------
need_apt=()
have clang-19 || need_apt+=(clang-19)
have wasm-ld-19 || need_apt+=(lld-19)
have llvm-ar-19 || need_apt+=(llvm-19)
have_deb libclang-19-dev || [ -e /usr/lib/llvm-19/lib/libclang.so ] || need_apt+=(libclang-19-dev)
[ -f /usr/lib/wasm32-wasi/libc.a ] && [ -d /usr/include/wasm32-wasi ] || need_apt+=(wasi-libc)
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
  SUDO=""
  if [ "$(id -u)" != 0 ]; then have sudo || die "need root or sudo to install ${need_apt[*]}"; SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# --- Rust target and cargo-installed tools ---------------------------------------------------
have cargo || die "cargo not found: install Rust (rustup) first"
if have rustup; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
elif ! rustc --print target-libdir --target wasm32-unknown-unknown >/dev/null 2>&1 \
    || [ ! -d "$(rustc --print target-libdir --target wasm32-unknown-unknown)" ]; then
  die "the wasm32-unknown-unknown Rust target is missing and rustup is not available"
fi

mkdir -p "$tools/bin"
export PATH="$tools/bin:$PATH"

# Checks the tool in $tools itself, not whatever else is on PATH.
version_of() { [ -x "$tools/bin/$1" ] && "$tools/bin/$1" --version 2>/dev/null | head -n1 || true; }

# trunk 0.22 needs a newer rustc than we pin; 0.21.14 --locked builds (TOOLCHAIN.md §3).
trunk_version=0.21.14
if [ "$(version_of trunk)" != "trunk $trunk_version" ]; then
  say "cargo install trunk $trunk_version (about 10 minutes on 2 cores, once)"
  cargo install --root "$tools" trunk --version "$trunk_version" --locked --force
fi

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock or trunk tries to download one.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; if ($1 == "version") { gsub(/"/, "", $3); print $3; exit } }' "$here/Cargo.lock" 2>/dev/null || true)
if [ -z "$wb_version" ]; then
  # No lock entry yet (fresh lock): the workspace pins it exactly.
  wb_version=$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' "$here/Cargo.toml" | head -n1)
fi
[ -n "$wb_version" ] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"
if [ "$(version_of wasm-bindgen)" != "wasm-bindgen $wb_version" ] || [ ! -x "$tools/bin/wasm-bindgen-test-runner" ]; then
  say "cargo install wasm-bindgen-cli $wb_version (about 2 minutes, once)"
  # Its own lockfile pins a crate the registry does not serve, so no --locked.
  cargo install --root "$tools" wasm-bindgen-cli --version "$wb_version" --force
fi

# --- wasm-opt and tsc from npm (Debian's binaryen 108 cannot read current rustc output; tsc
# type-checks the TypeScript `pglens typegen` writes) --------------------------------------------
binaryen_version=$(node -p "require(process.argv[1]).devDependencies.binaryen" "$here/package.json")
if ! "$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -qF "version ${binaryen_version%%.*} " \
    || ! [ -x "$tools/node_modules/.bin/tsc" ] \
    || ! cmp -s "$here/package-lock.json" "$tools/package-lock.json"; then
  say "npm ci (binaryen $binaryen_version, typescript) in $tools"
  cp "$here/package.json" "$here/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --silent --no-audit --no-fund)
fi
# One directory on PATH is enough: expose wasm-opt next to the cargo-installed tools.
ln -sfn ../node_modules/.bin/wasm-opt "$tools/bin/wasm-opt"
ln -sfn ../node_modules/.bin/tsc "$tools/bin/tsc"

# --- .cargo/config.toml: pg_query's C build for wasm32 needs absolute paths -------------------
mkdir -p "$here/.cargo"
rendered=$(sed "s#@REPO@#$here#g" "$here/scripts/cargo-config.toml.in")
if [ ! -f "$here/.cargo/config.toml" ] || [ "$rendered" != "$(cat "$here/.cargo/config.toml")" ]; then
  say "writing .cargo/config.toml"
  printf '%s\n' "$rendered" > "$here/.cargo/config.toml"
fi

# --- final check: every tool answers with the pinned version ----------------------------------
[ "$(version_of trunk)" = "trunk $trunk_version" ] || die "trunk $trunk_version missing in $tools/bin"
[ "$(version_of wasm-bindgen)" = "wasm-bindgen $wb_version" ] || die "wasm-bindgen $wb_version missing in $tools/bin"
"$tools/bin/wasm-opt" --version | grep -qF "version ${binaryen_version%%.*} " || die "wasm-opt $binaryen_version missing"
say "ready: tools in $tools/bin (trunk $trunk_version, wasm-bindgen $wb_version, wasm-opt ${binaryen_version%%.*}); add it to PATH"
