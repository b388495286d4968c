#!/bin/sh
# Benchmark nbinit against tini, dumb-init and s6-svscan (Debian packages
# tini, dumb-init, s6), side by side in one run. Needs root (unshare).
#   bench/init/run.sh [-starts N] [-stops N]
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/nbinit" ./cmd/nbinit
CGO_ENABLED=0 go build -o "$out/initbench" ./bench/init
"$out/initbench" -nbinit "$out/nbinit" "$@"
