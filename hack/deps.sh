#!/usr/bin/env bash
# Installs the host programs nbkit's tests and `make up` use, on Debian/Ubuntu as
# root. Anything already present is left alone. Elsewhere it lists what is missing.
set -euo pipefail
declare -A pkg_for=(
  [dockerd]=docker.io [mmdebstrap]=mmdebstrap [chromium]=chromium
  [tini]=tini [dumb-init]=dumb-init [s6-svscan]=s6 [unshare]=util-linux
)
missing=()
for cmd in "${!pkg_for[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_for[$cmd]}")
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
