package proxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const prefix = "/notebook/bench/nb"

// page is what the backend serves: about the size of a small IDE asset or
// API answer.
var page = bytes.Repeat([]byte("x"), 2048)

// setup is shared by every benchmark: one backend, one nbproxy process.
var setup struct {
	once    sync.Once
	err     error
	backend *httptest.Server
	proxy   *exec.Cmd
	addr    string // nbproxy's address
	dir     string
}

func start(b *testing.B) {
	b.Helper()
	setup.once.Do(func() { setup.err = startOnce() })
	if setup.err != nil {
		b.Fatal(setup.err)
	}
}

func startOnce() error {
	setup.backend = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(page)
	}))
	dir, err := os.MkdirTemp("", "nbproxy-bench-")
	if err != nil {
		return err
	}
	setup.dir = dir
	bin := filepath.Join(dir, "nbproxy")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/nbproxy")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building nbproxy: %w\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	setup.addr = ln.Addr().String()
	ln.Close()
	setup.proxy = exec.Command(bin, "-listen", setup.addr, "-backend", setup.backend.Listener.Addr().String(), "-mode", "codeserver")
	setup.proxy.Env = []string{"NB_PREFIX=" + prefix}
	setup.proxy.Stderr = os.Stderr
	if err := setup.proxy.Start(); err != nil {
		return fmt.Errorf("starting nbproxy: %w", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get("http://" + setup.addr + prefix + "/api/status")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nbproxy did not start: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if setup.proxy != nil && setup.proxy.Process != nil {
		setup.proxy.Process.Kill()
		setup.proxy.Wait()
	}
	if setup.backend != nil {
		setup.backend.Close()
	}
	if setup.dir != "" {
		os.RemoveAll(setup.dir)
	}
	os.Exit(code)
}

// targets are the two paths measured side by side.
func targets() []struct{ name, url string } {
	return []struct{ name, url string }{
		{"direct", setup.backend.URL + "/static/app.js"},
		{"proxy", "http://" + setup.addr + prefix + "/static/app.js"},
	}
}

func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
}

func fetch(b *testing.B, c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || n != int64(len(page)) {
		b.Fatalf("GET %s: %s, %d bytes", url, resp.Status, n)
	}
}

// BenchmarkLatency sends one request at a time over a kept-alive connection
// and reports the percentiles of the round trip.
func BenchmarkLatency(b *testing.B) {
	start(b)
	for _, tg := range targets() {
		b.Run(tg.name, func(b *testing.B) {
			c := newClient()
			fetch(b, c, tg.url) // open the connection outside the timing
			d := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				fetch(b, c, tg.url)
				d = append(d, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(d)
			b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkThroughput loads the target with parallel clients and reports
// requests per second; for the proxy also its resident memory under that
// load (VmRSS at the end, VmHWM the peak).
func BenchmarkThroughput(b *testing.B) {
	start(b)
	for _, tg := range targets() {
		b.Run(tg.name, func(b *testing.B) {
			c := newClient()
			b.SetParallelism(8)
			t0 := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					fetch(b, c, tg.url)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "req/s")
			if tg.name == "proxy" {
				rss, hwm, err := memory(setup.proxy.Process.Pid)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(rss, "rss-MB")
				b.ReportMetric(hwm, "peak-rss-MB")
			}
		})
	}
}

// memory reads a process's resident set, now and at its peak, in MB.
func memory(pid int) (rss, hwm float64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("reading nbproxy's memory: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm, sc.Err()
}
