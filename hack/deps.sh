#!/usr/bin/env bash
# Installs the host packages nbkit's tests and `make up` use, on Debian/Ubuntu as
# root. Anything already installed is left alone; elsewhere it lists what is missing.
#   docker.io mmdebstrap      the engine and the OS-base bootstrap
#   chromium                  browser tests of nbkit run
#   tini dumb-init s6         inits nbinit is benchmarked against
#   util-linux procps curl    unshare/setpriv for PID-1 tests; ps for the engine's `top`; curl for
#                             the image scripts' tests
#   python3-jupyter-server python3-ipykernel python3-venv python3-pip
#                             a real Jupyter server and pip for the checker's unit tests
set -euo pipefail
wanted=(docker.io mmdebstrap chromium tini dumb-init s6 util-linux procps curl
  python3-jupyter-server python3-ipykernel python3-venv python3-pip)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing packages: ${missing[*]} (install them, then retry)" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
