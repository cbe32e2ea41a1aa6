#!/usr/bin/env bash
# Installs whatever is missing (no PostgreSQL needed) and serves the app on http://127.0.0.1:8080
# with the embedded sample snapshot loaded. Usage: scripts/serve.sh [PORT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
tools="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}"
scripts/setup.sh --no-pg
export PATH="$tools/bin:$tools/node_modules/.bin:$PATH"
port="${1:-8080}"
trunk build --release --offline
echo "pglens: serving dist/ at http://127.0.0.1:$port/ (Ctrl-C stops)" >&2
exec python3 -m http.server --bind 127.0.0.1 --directory dist "$port"
