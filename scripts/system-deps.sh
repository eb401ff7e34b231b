#!/usr/bin/env bash
# The browser and multi-instance tests need Debian's Chromium (Playwright cannot download its own
# browser here) and a real redis-server. Installs whichever is missing when running as root.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "[system-deps] missing: ${missing[*]}. Install them (Debian: apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
echo "[system-deps] installing ${missing[*]} from Debian's packages" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
