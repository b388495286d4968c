package frontproxy

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nbkit/nbkit/internal/golden"
)

func TestCullingFormat(t *testing.T) {
	started := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	used := started.Add(90*time.Minute + 1500*time.Microsecond)
	tests := []struct {
		name string
		snap snapshot
	}{
		{"never-used", snapshot{Started: started}},
		{"used-then-left", snapshot{Started: started, LastActivity: used}},
		{"open-idle", snapshot{Started: started, LastActivity: used, Connections: 2}},
		{"open-busy", snapshot{Started: started, LastActivity: used, Connections: 1, Busy: true}},
		{"non-utc-clock", snapshot{Started: started.In(time.FixedZone("CET", 3600)), LastActivity: used.In(time.FixedZone("CET", 3600))}},
	}
	const id = "5b0d8a4e-2f1c-4c7e-9a53-0c6f1d2e3a4b"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks, err := json.MarshalIndent(kernels(tt.snap, id, ModeCodeServer), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tt.name+".kernels.json", append(ks, '\n'))
			st, err := json.MarshalIndent(statusOf(tt.snap, id, ModeCodeServer), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tt.name+".status.json", append(st, '\n'))
		})
	}
}

// The timestamps must parse the way the Kubeflow culler parses them.
func TestCullingTimesParseAsRFC3339(t *testing.T) {
	s := snapshot{Started: time.Now(), LastActivity: time.Now()}
	k := kernels(s, "id", ModeRStudio)[0]
	for _, v := range []string{k.LastActivity, statusOf(s, "id", ModeRStudio).Started} {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
}

func TestCullerPollsAndProbesAreNotActivity(t *testing.T) {
	h := newHarness(t, echoPath(), nil)
	if ks := h.kernels(t); len(ks) != 0 {
		t.Fatalf("before any use: kernels %+v, want []", ks)
	}
	started := h.status(t).Started

	for _, path := range []string{
		testPrefix + "/api/status", testPrefix + "/api/kernels", testPrefix + "/api/kernels/",
		"/api/status", "/api/kernels", // the route rewrote the prefix away
	} {
		h.clock.Advance(time.Minute)
		resp, body := get(t, h.url+path, nil)
		if resp.StatusCode != http.StatusOK || !json.Valid([]byte(body)) {
			t.Fatalf("GET %s: %s %q", path, resp.Status, body)
		}
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("GET %s: Content-Type %q", path, got)
		}
	}
	h.clock.Advance(time.Minute)
	get(t, h.url+testPrefix+"/", http.Header{"User-Agent": {"kube-probe/1.31"}})

	s := h.status(t)
	if s.LastActivity != started {
		t.Errorf("polls and probes moved last_activity to %s (started %s)", s.LastActivity, started)
	}
	if ks := h.kernels(t); len(ks) != 0 {
		t.Errorf("polls and probes made kernels %+v, want []", ks)
	}

	h.clock.Advance(time.Minute)
	get(t, h.url+testPrefix+"/?folder=/home/jovyan", browser)
	want := formatTime(h.clock.Now())
	if got := h.status(t).LastActivity; got != want {
		t.Errorf("after a user request: last_activity %s, want %s", got, want)
	}
	ks := h.kernels(t)
	if len(ks) != 1 || ks[0].ExecutionState != "idle" || ks[0].LastActivity != want || ks[0].Name != "codeserver" {
		t.Errorf("after a user request: kernels %+v, want one idle codeserver kernel at %s", ks, want)
	}
}

func TestCullingEndpointsRejectWrites(t *testing.T) {
	h := newHarness(t, echoPath(), nil)
	resp, err := http.Post(h.url+testPrefix+"/api/kernels", "application/json", strings.NewReader(`{"name":"python3"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST api/kernels: %s, want 405", resp.Status)
	}
}

// With culling off (a Jupyter backend answers these itself) they go through.
func TestCullingOffForwards(t *testing.T) {
	h := newHarness(t, echoPath(), func(c *Config) { c.Culling = false })
	_, body := get(t, h.url+testPrefix+"/api/kernels", nil)
	if !strings.HasPrefix(body, "path=/api/kernels ") {
		t.Errorf("backend saw %q, want path=/api/kernels", body)
	}
}
