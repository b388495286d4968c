#!/usr/bin/env bash
# The image tree's targets, measured in one run on the images in the engine:
#   1. a change to one leaf rebuilds only that leaf (a dry run over a copy of
#      the tree with the leaf's Dockerfile changed, against the built tree);
#   2. the size of each built image next to Kubeflow's published image of the
#      same name (bench/tree/kubeflow-sizes.tsv: name, compressed and
#      uncompressed size as published, where found);
#   3. `nbkit check --profile kubeflow` of every built image, 2 at a time:
#      wall time against the 15-minute target.
#   bench/tree/run.sh [LEAF]     (LEAF default: jupyter-tensorflow-cuda-full)
# Needs bin/nbkit (make nbkit) and the images built (make images-all).
set -euo pipefail
cd "$(dirname "$0")/../.."
leaf=${1:-jupyter-tensorflow-cuda-full}
prefix=${NBKIT_PREFIX:-nbkit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. one leaf changed: what would rebuild"
cp -a images "$tmp/images"
echo "# bench: a change to the leaf" >>"$tmp/images/$leaf/Dockerfile"
bin/nbkit build --images "$tmp/images" --prefix "$prefix" --dry-run --no-manifests >"$tmp/plan" 2>&1 || true
before=$(bin/nbkit build --prefix "$prefix" --dry-run --no-manifests 2>&1 | awk '$2=="would-build"{print $1}' | sort)
after=$(awk '$2=="would-build"{print $1}' "$tmp/plan" | sort)
extra=$(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')
echo "would build because of the change: ${extra:-nothing} (want: $leaf)"

echo
echo "== 2. sizes (MB, uncompressed in the engine) next to Kubeflow's published images"
printf '%-30s %10s %22s\n' IMAGE NBKIT_MB KUBEFLOW_MB
built=()
for dir in images/*/; do
  name=$(basename "$dir")
  [ "$name" = _include ] && continue
  size=$(docker image inspect -f '{{.Size}}' "$prefix/$name:latest" 2>/dev/null) || continue
  built+=("$prefix/$name:latest")
  kf=$(awk -F'\t' -v n="$name" '$1==n{print $3}' bench/tree/kubeflow-sizes.tsv 2>/dev/null)
  printf '%-30s %10d %22s\n' "$name" $((size / 1000000)) "${kf:--}"
done

echo
echo "== 3. nbkit check --profile kubeflow of ${#built[@]} images, 2 at a time"
start=$(date +%s)
rc=0
bin/nbkit check --profile kubeflow --parallel 2 "${built[@]}" >"$tmp/check" 2>&1 || rc=$?
took=$(($(date +%s) - start))
tail -n $((${#built[@]} + 3)) "$tmp/check"
echo "check of ${#built[@]} images: ${took}s (exit $rc; target: under 900 s for 12 images on 2 cores)"
