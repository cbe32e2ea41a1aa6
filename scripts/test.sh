#!/usr/bin/env bash
# Installs whatever is missing, then runs every test suite of pglens:
#   1. native: core unit tests, builder tests, fidelity against a real PostgreSQL (started by the
#      test itself on loopback), the real-world corpus, bad input, the CLI;
#   2. wasm: the core (pg_query compiled to wasm32) in Node, the app's wasm_bindgen_test tests;
#   3. the release build of the static site (trunk) and end-to-end tests in headless Chromium.
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
tools="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "set-up (installs only what is missing)"
scripts/setup.sh
export PATH="$tools/bin:$tools/node_modules/.bin:$PATH"

step "native tests: core, fidelity vs PostgreSQL, corpus, bad input, CLI"
cargo test --locked -p pglens-core -p pglens-cli

step "wasm tests: pg_query in wasm32 (Node), app helpers"
cargo test --locked -p pglens-core --target wasm32-unknown-unknown --test wasm_parse
cargo test --locked -p pglens-app --target wasm32-unknown-unknown

step "release build of the static site"
trunk build --release --offline

step "end-to-end in headless Chromium"
# The report tests compare the app's download with the command line's output.
cargo build --locked -p pglens-cli
cargo test --locked -p e2e -- --test-threads=1

step "all suites passed"
