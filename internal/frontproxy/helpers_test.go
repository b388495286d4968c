package frontproxy

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

const testPrefix = "/notebook/team-a/ide"

// fakeClock lets tests move time to see activity age.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is a proxy in front of a real httptest backend.
type harness struct {
	proxy   *Proxy
	url     string // the proxy's base URL
	backend *httptest.Server
	clock   *fakeClock
}

func newHarness(t *testing.T, backend http.Handler, edit func(*Config)) *harness {
	t.Helper()
	return startHarness(t, backend, edit, defaultLimits)
}

// startHarness serves the proxy as Serve does, with the given limits.
func startHarness(t *testing.T, backend http.Handler, edit func(*Config), l limits) *harness {
	t.Helper()
	be := httptest.NewServer(backend)
	t.Cleanup(be.Close)
	u, _ := url.Parse(be.URL)
	cfg := Config{
		Backend:  u,
		Prefix:   testPrefix,
		Mode:     ModeCodeServer,
		Culling:  true,
		WSFloor:  0,
		WSWindow: 10 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	clk := newClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := newProxy(cfg, log, clk.Now)
	ps := httptest.NewUnstartedServer(p)
	ps.Config = newServer(p, l, log)
	ps.Start()
	t.Cleanup(ps.Close)
	return &harness{proxy: p, url: ps.URL, backend: be, clock: clk}
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func get(t *testing.T, rawURL string, header http.Header) (*http.Response, string) {
	t.Helper()
	return send(t, http.MethodGet, rawURL, header)
}

// send makes one request without following redirects and reads the answer.
func send(t *testing.T, method, rawURL string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", rawURL, err)
	}
	return resp, string(body)
}

// status polls the proxy's status endpoint as the culler would.
func (h *harness) status(t *testing.T) status {
	t.Helper()
	resp, body := get(t, h.url+testPrefix+"/api/status", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("api/status: %s %s", resp.Status, body)
	}
	var s status
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("api/status is not JSON: %v: %s", err, body)
	}
	return s
}

func (h *harness) kernels(t *testing.T) []kernel {
	t.Helper()
	resp, body := get(t, h.url+testPrefix+"/api/kernels", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("api/kernels: %s %s", resp.Status, body)
	}
	var ks []kernel
	if err := json.Unmarshal([]byte(body), &ks); err != nil {
		t.Fatalf("api/kernels is not a JSON array: %v: %s", err, body)
	}
	return ks
}
