// Package proxy benchmarks nbproxy against a loopback backend: the latency it
// adds per request (p50, p99), throughput through it versus direct, and the
// resident memory of the nbproxy process under that load.
//
// Rerun with bench/proxy/run.sh (or go test ./bench/proxy -run '^$' -bench .).
package proxy
