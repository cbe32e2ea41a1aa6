#!/usr/bin/env bash
# Builds the app (dist/) and runs the browser end-to-end tests against it.
#   tests/e2e.sh              trunk build --release, then cargo test -p e2e
#   tests/e2e.sh --no-build   reuse the existing dist/
# Tools (trunk, wasm-bindgen, wasm-opt) come from scripts/setup.sh, in $PGLENS_TOOLS.
# Screenshots: target/e2e/*.png.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}"
export PATH="$tools/bin:$tools/node_modules/.bin:$PATH"
cd "$root"
if [ "${1:-}" != "--no-build" ]; then
  trunk build --release
fi
ls -l dist/*.wasm
cargo test -p e2e -- --nocapture
