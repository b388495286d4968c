package frontproxy

import (
	"net/http"
	"testing"
	"time"
)

// browser is what every current browser sends with a page load; scripts in
// the page cannot set or remove Sec-Fetch-* headers.
var browser = http.Header{"Sec-Fetch-Mode": {"navigate"}, "Sec-Fetch-Site": {"same-origin"}}

// ideAnswers answers the way an IDE can: by path.
func ideAnswers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/moved":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		case "/cached":
			w.WriteHeader(http.StatusNotModified)
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/hints":
			w.Header().Set("Link", "</app.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.Write([]byte("page"))
		case "/crash":
			panic(http.ErrAbortHandler) // the proxy answers 502
		default:
			w.Write([]byte("ok"))
		}
	})
}

// A notebook is culled when nobody uses it. Only what a person's browser
// asked of the IDE, and the IDE answered, is use; everything else in a pod's
// life (the culler, probes, other workloads, the proxy's own answers, errors)
// must not keep it alive.
func TestWhatCountsAsUse(t *testing.T) {
	oldBrowser := http.Header{"Origin": {"https://kf.example.com"}}
	preflight := http.Header{"Origin": {"https://kf.example.com"}, "Access-Control-Request-Method": {"PUT"}}
	tests := []struct {
		name, method, path string
		header             http.Header
		use                bool
	}{
		{"page load", "GET", testPrefix + "/", browser, true},
		{"page load, rewritten route", "GET", "/", browser, true},
		{"fetch from the page", "POST", testPrefix + "/api/save", http.Header{"Sec-Fetch-Mode": {"cors"}}, true},
		{"browser without Sec-Fetch, POST with Origin", "POST", testPrefix + "/rpc", oldBrowser, true},
		{"redirect from the IDE", "GET", testPrefix + "/moved", browser, true},
		{"not modified", "GET", testPrefix + "/cached", browser, true},
		{"early hints, then the page", "GET", testPrefix + "/hints", browser, true},
		{"IDE says 404", "GET", testPrefix + "/missing", browser, false},
		{"IDE fails", "GET", testPrefix + "/broken", browser, false},
		{"IDE unreachable, proxy says 502", "GET", testPrefix + "/crash", browser, false},
		{"workload in the mesh", "GET", testPrefix + "/", http.Header{"User-Agent": {"Go-http-client/1.1"}}, false},
		{"metrics scraper", "GET", "/metrics", http.Header{"User-Agent": {"Prometheus/2.53.0"}, "Accept": {"text/plain"}}, false},
		{"kubelet probe", "GET", testPrefix + "/", http.Header{"User-Agent": {"kube-probe/1.31"}}, false},
		{"CORS preflight, answered by the proxy", "OPTIONS", testPrefix + "/api/save", preflight, false},
		{"other OPTIONS, answered by the IDE", "OPTIONS", testPrefix + "/", browser, false},
		{"bare prefix, redirected by the proxy", "GET", testPrefix, browser, false},
		{"culler poll", "GET", testPrefix + "/api/status", browser, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, ideAnswers(), nil)
			started := h.status(t).LastActivity
			h.clock.Advance(time.Minute)
			resp, _ := send(t, tt.method, h.url+tt.path, tt.header)
			got := h.status(t).LastActivity
			switch {
			case tt.use && got != formatTime(h.clock.Now()):
				t.Errorf("%s %s answered %s: last_activity %s, want now (%s)", tt.method, tt.path, resp.Status, got, formatTime(h.clock.Now()))
			case !tt.use && got != started:
				t.Errorf("%s %s answered %s: moved last_activity to %s; it is not use", tt.method, tt.path, resp.Status, got)
			}
		})
	}
}

// A websocket the IDE accepts for a browser is use as soon as it opens;
// one opened by anything else is not, until it carries traffic.
func TestWebsocketOpenIsUseFromABrowserOnly(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		use    bool
	}{
		{"browser", http.Header{"Origin": {"https://kf.example.com"}, "Sec-Fetch-Mode": {"websocket"}}, true},
		{"workload", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &wsEcho{}, func(c *Config) { c.WSFloor = 512 })
			started := h.status(t).LastActivity
			h.clock.Advance(time.Minute)
			ws := dialWS(t, h.url+testPrefix+"/socket", tt.header)
			defer ws.close()
			if got := h.status(t).LastActivity; (got != started) != tt.use {
				t.Errorf("last_activity %s after opening (started %s), want use=%v", got, started, tt.use)
			}
		})
	}
}
