#!/bin/sh
# Reruns the contract proxy benchmark: latency added per request and
# throughput through nbproxy versus direct to a loopback backend, and
# nbproxy's resident memory under load. Usage: bench/proxy/run.sh [count]
set -eu
cd "$(dirname "$0")/../.."
count="${1:-3}"
# One go test per round, so that direct and proxy are measured back to back
# under the same load from whatever else shares the machine.
out=""
for _ in $(seq "$count"); do
	out="$out
$(CGO_ENABLED=0 go test ./bench/proxy -run '^$' -bench . -benchtime 20000x -count 1)"
done
printf '%s\n' "$out" | grep '^Benchmark'
echo "cpus: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Medians over the runs, and what the proxy adds.
printf '%s\n' "$out" | awk '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i += 2) { k = name " " $(i + 1); n[k]++; v[k, n[k]] = $i }
}
END {
	split("BenchmarkLatency/direct p50-µs,BenchmarkLatency/direct p99-µs,BenchmarkLatency/proxy p50-µs,BenchmarkLatency/proxy p99-µs,BenchmarkThroughput/direct req/s,BenchmarkThroughput/proxy req/s,BenchmarkThroughput/proxy rss-MB,BenchmarkThroughput/proxy peak-rss-MB", keys, ",")
	print ""
	print "median of runs:"
	for (i = 1; i <= 8; i++) {
		k = keys[i]; delete a
		for (j = 1; j <= n[k]; j++) a[j] = v[k, j]
		m[k] = median(a, n[k])
		printf "  %-40s %10.1f\n", k, m[k]
	}
	printf "  %-40s %10.1f\n", "added latency p50-µs", m["BenchmarkLatency/proxy p50-µs"] - m["BenchmarkLatency/direct p50-µs"]
	printf "  %-40s %10.1f\n", "added latency p99-µs", m["BenchmarkLatency/proxy p99-µs"] - m["BenchmarkLatency/direct p99-µs"]
}'
