package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/nbkit/nbkit/internal/conformance/testdata/fixture"
)

const testPrefix = "/notebook/team-a/nb-1"

// serve starts h in the test process and returns a Notebook reaching it the
// way the docker driver reaches a container: no redirects followed.
func serve(t *testing.T, h http.Handler, ide IDE) *Notebook {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Notebook{Client: c, Origin: srv.URL, Prefix: testPrefix, IDE: ide, Route: RouteKeep}
}

// TestServerChecks runs the HTTP checks in driver order against the fixture
// server broken each way, and wants exactly the listed checks violated.
func TestServerChecks(t *testing.T) {
	order := []struct {
		id ID
		f  func(context.Context, *Notebook) Outcome
	}{
		{CheckPrefix, checkPrefix}, {CheckCORS, checkCORS}, {CheckIframe, checkIframe},
		{CheckNoAuth, checkNoAuth}, {CheckWebsocket, checkWebsocket}, {CheckCulling, checkCulling},
	}
	tests := []struct {
		brk  string
		want map[ID]string // violated checks and a word their message must contain
	}{
		{fixture.Good, nil},
		// Nothing answers under the prefix (and its absolute redirect to /lab
		// breaks the rewrite route too), so websocket and culling fail as
		// well; the driver reports them skipped because prefix failed.
		{fixture.NoPrefix, map[ID]string{CheckPrefix: "does not serve under NB_PREFIX", CheckWebsocket: "404", CheckCulling: "404"}},
		{fixture.RedirectOut, map[ID]string{CheckPrefix: "redirected to /tree, outside NB_PREFIX"}},
		{fixture.NoCORS, map[ID]string{CheckCORS: "no Access-Control-Allow-Origin"}},
		{fixture.XFODeny, map[ID]string{CheckIframe: "X-Frame-Options: DENY"}},
		{fixture.CSPNone, map[ID]string{CheckIframe: "frame-ancestors 'none'"}},
		// Behind a token the API refuses too; the driver skips websocket and
		// culling (they need no-auth) instead of failing them again.
		{fixture.Token, map[ID]string{CheckNoAuth: "login page", CheckWebsocket: "403", CheckCulling: "403"}},
		{fixture.NoCulling, map[ID]string{CheckCulling: "/api/status"}},
		{fixture.NoWebsocket, map[ID]string{CheckWebsocket: "400"}},
		{fixture.WrongResult, map[ID]string{CheckWebsocket: `"3"`}},
	}
	for _, tt := range tests {
		name := tt.brk
		if name == "" {
			name = "good"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nb := serve(t, fixture.New(testPrefix, tt.brk), IDEJupyter)
			for _, c := range order {
				o := c.f(t.Context(), nb)
				word, wantFail := tt.want[c.id]
				switch {
				case wantFail && o.verdict != vViolation:
					t.Errorf("%s: verdict %d (%s), want a violation", c.id, o.verdict, o.Message)
				case wantFail && !strings.Contains(o.Message, word):
					t.Errorf("%s: message %q does not mention %q", c.id, o.Message, word)
				case !wantFail && o.verdict != vPass:
					t.Errorf("%s: verdict %d (%s), want pass", c.id, o.verdict, o.Message)
				}
			}
		})
	}
}

func TestPrefixReportsRoutingModes(t *testing.T) {
	// A server that serves only at / with X-RStudio-Root-Path, as RStudio does.
	rstudio := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-RStudio-Root-Path") != testPrefix+"/" || r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("rstudio"))
	})
	tests := []struct {
		ide       IDE
		h         http.Handler
		wantPass  bool
		wantRoute Route
		routes    string
	}{
		{IDEJupyter, fixture.New(testPrefix, ""), true, RouteKeep, "prefix"},
		{IDERStudio, rstudio, true, RouteRewrite, "rewrite"},
		{IDEUnknown, rstudio, true, RouteRewrite, "rewrite"},
		// Jupyter must keep the prefix: Kubeflow routes Jupyter without rewrite.
		{IDEJupyter, rstudio, false, RouteRewrite, "rewrite"},
		{IDECodeServer, fixture.New(testPrefix, ""), false, RouteKeep, "prefix"},
	}
	for _, tt := range tests {
		t.Run(string(tt.ide)+"-"+tt.routes, func(t *testing.T) {
			nb := serve(t, tt.h, tt.ide)
			o := checkPrefix(t.Context(), nb)
			if (o.verdict == vPass) != tt.wantPass {
				t.Errorf("verdict %d (%s), want pass=%v", o.verdict, o.Message, tt.wantPass)
			}
			if nb.Route != tt.wantRoute || o.Data["routes"] != tt.routes {
				t.Errorf("route %s, routes %q; want %s, %q", nb.Route, o.Data["routes"], tt.wantRoute, tt.routes)
			}
		})
	}
}

func TestWebsocketUpgradeForOtherIDEs(t *testing.T) {
	// code-server behind a rewrite: its remote agent upgrades at /.
	var gotQuery string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c.Close(websocket.StatusNormalClosure, "")
	})
	nb := serve(t, h, IDECodeServer)
	nb.Route = RouteRewrite
	o := checkWebsocket(t.Context(), nb)
	if o.verdict != vPass || !strings.Contains(o.Message, "answered 101") {
		t.Fatalf("got %d %q, want pass with 101", o.verdict, o.Message)
	}
	if !strings.Contains(gotQuery, "reconnectionToken=") {
		t.Errorf("query %q lacks code-server's reconnectionToken", gotQuery)
	}
	refuse := serve(t, http.NotFoundHandler(), IDEUnknown)
	if o := checkWebsocket(t.Context(), refuse); o.verdict != vViolation || !strings.Contains(o.Message, "404") {
		t.Errorf("refused upgrade: got %d %q, want a violation naming 404", o.verdict, o.Message)
	}
}

func TestDetectIDE(t *testing.T) {
	if got := detectIDE(t.Context(), serve(t, fixture.New(testPrefix, ""), IDEUnknown)); got != IDEJupyter {
		t.Errorf("fixture (Jupyter API under the prefix): %q, want jupyter", got)
	}
	if got := detectIDE(t.Context(), serve(t, fixture.New(testPrefix, fixture.NoPrefix), IDEUnknown)); got != IDEJupyter {
		t.Errorf("fixture serving at /: %q, want jupyter", got)
	}
	if got := detectIDE(t.Context(), serve(t, http.NotFoundHandler(), IDEUnknown)); got != IDEUnknown {
		t.Errorf("404 server: %q, want unknown", got)
	}
}

func TestCullingTimeBudget(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-t.Context().Done():
		}
	})
	o := checkCulling(t.Context(), serve(t, slow, IDEJupyter))
	if o.verdict != vViolation || !strings.Contains(o.Message, "within 2s") {
		t.Errorf("got %d %q, want a violation about the 2 s budget", o.verdict, o.Message)
	}
}

func TestJudgeFraming(t *testing.T) {
	tests := []struct {
		name string
		hdr  http.Header
		want verdict
	}{
		{"none", http.Header{}, vPass},
		{"sameorigin", http.Header{"X-Frame-Options": {"SAMEORIGIN"}}, vPass},
		{"deny", http.Header{"X-Frame-Options": {"DENY"}}, vViolation},
		{"allow-from", http.Header{"X-Frame-Options": {"ALLOW-FROM https://x"}}, vViolation},
		{"csp self", http.Header{"Content-Security-Policy": {"default-src 'self'; frame-ancestors 'self'"}}, vPass},
		{"csp star", http.Header{"Content-Security-Policy": {"frame-ancestors *"}}, vPass},
		{"csp none", http.Header{"Content-Security-Policy": {"frame-ancestors 'none'"}}, vViolation},
		{"csp other host", http.Header{"Content-Security-Policy": {"frame-ancestors https://other.example"}}, vAdvisory},
		{"csp without frame-ancestors", http.Header{"Content-Security-Policy": {"default-src 'none'"}}, vPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := judgeFraming("/p/", tt.hdr); got.verdict != tt.want {
				t.Errorf("verdict %d (%s), want %d", got.verdict, got.Message, tt.want)
			}
		})
	}
}
