#!/usr/bin/env bash
# Runs every fuzz target of the module for a short while each: FUZZTIME
# (default 10s, any -fuzztime value such as 30s or 5000x). `go test` alone
# only replays the seed corpora; this searches beyond them. A failing input
# is written to the package's testdata/fuzz/<target>/, where `go test`
# replays it from then on. Targets are found, not listed here, so a new
# Fuzz function is run without touching this script.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
go test -list '^Fuzz' ./... >"$list"
# `go test -list` prints a package's names, then "ok <package> <time>".
mapfile -t targets < <(awk '/^Fuzz/ { names[++k] = $1; next }
  /^ok/ { for (i = 1; i <= k; i++) print $2, names[i]; k = 0 }' "$list")
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no Fuzz targets found" >&2
  exit 1
fi
failed=()
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "fuzz: $name ($pkg) for $fuzztime"
  # Minimizing each new corpus entry may otherwise take a minute of the
  # run; a failing input is still minimized, within the same bound.
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$fuzztime" "$pkg" ||
    failed+=("$name ($pkg)")
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
