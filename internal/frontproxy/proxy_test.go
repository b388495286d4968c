package frontproxy

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// echoPath answers with what the IDE saw: its path, query and a few headers.
func echoPath() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "path=%s query=%s host=%s rstudio=%s xfh=%s",
			r.URL.EscapedPath(), r.URL.RawQuery, r.Host, r.Header.Get("X-RStudio-Root-Path"), r.Header.Get("X-Forwarded-Host"))
	})
}

func TestRouting(t *testing.T) {
	h := newHarness(t, echoPath(), nil)
	tests := []struct {
		name, path, want string
	}{
		{"prefix stripped", testPrefix + "/", "path=/ "},
		{"prefix stripped deep", testPrefix + "/static/app.js?v=3", "path=/static/app.js query=v=3 "},
		{"escaped path kept", testPrefix + "/files/a%2Fb", "path=/files/a%2Fb "},
		{"rewritten root", "/", "path=/ "},
		{"rewritten deep", "/static/app.js?v=3", "path=/static/app.js query=v=3 "},
		{"lookalike prefix not stripped", testPrefix + "x/y", "path=" + testPrefix + "x/y "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, h.url+tt.path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %s", resp.Status)
			}
			if !strings.HasPrefix(body, tt.want) {
				t.Errorf("backend saw %q, want it to start with %q", body, tt.want)
			}
		})
	}
}

func TestBarePrefixRedirects(t *testing.T) {
	h := newHarness(t, echoPath(), nil)
	resp, _ := get(t, h.url+testPrefix+"?folder=/home/jovyan", nil)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %s, want 302", resp.Status)
	}
	if got, want := resp.Header.Get("Location"), testPrefix+"/?folder=/home/jovyan"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
}

func TestHostAndForwardedHeaders(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host=%s xfh=%s xfp=%s xff=%s", r.Host,
			r.Header.Get("X-Forwarded-Host"), r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-For"))
	}), nil)
	proxyHost := strings.TrimPrefix(h.url, "http://")
	tests := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"direct", nil, "host=" + proxyHost + " xfh=" + proxyHost + " xfp=http xff=127.0.0.1"},
		{"behind the mesh", http.Header{
			"X-Forwarded-Host": {"kf.example.com"}, "X-Forwarded-Proto": {"https"}, "X-Forwarded-For": {"203.0.113.7"},
		}, "host=" + proxyHost + " xfh=kf.example.com xfp=https xff=203.0.113.7, 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, body := get(t, h.url+testPrefix+"/", tt.header); body != tt.want {
				t.Errorf("IDE saw %q, want %q", body, tt.want)
			}
		})
	}
}

func TestRStudioRootPath(t *testing.T) {
	tests := []struct {
		mode Mode
		want string
	}{
		{ModeRStudio, "rstudio=" + testPrefix + "/ "},
		{ModeCodeServer, "rstudio= "},
		{ModeGeneric, "rstudio= "},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			h := newHarness(t, echoPath(), func(c *Config) { c.Mode = tt.mode })
			for _, path := range []string{testPrefix + "/", "/"} {
				_, body := get(t, h.url+path, nil)
				if !strings.Contains(body, tt.want) {
					t.Errorf("GET %s: backend saw %q, want %q", path, body, tt.want)
				}
			}
		})
	}
}

func TestLocationThroughProxy(t *testing.T) {
	var backendHost string
	backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc := r.URL.Query().Get("to")
		loc = strings.ReplaceAll(loc, "BACKEND", backendHost)
		loc = strings.ReplaceAll(loc, "REQHOST", r.Host)
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusFound)
	})
	h := newHarness(t, backend, nil)
	backendHost = strings.TrimPrefix(h.backend.URL, "http://")
	proxyHost := strings.TrimPrefix(h.url, "http://")
	tests := []struct {
		name, path, to, want string
	}{
		{"absolute path", testPrefix + "/a/b", "/login", testPrefix + "/login"},
		{"relative", testPrefix + "/a/b", "./?folder=/home/jovyan", testPrefix + "/a/?folder=/home/jovyan"},
		{"relative climbing out", testPrefix + "/a/b", "../../../../etc", testPrefix + "/etc"},
		{"backend URL", testPrefix + "/a", "http://BACKEND/x?y=1", testPrefix + "/x?y=1"},
		{"request host URL", testPrefix + "/a", "http://REQHOST/x", "http://" + proxyHost + testPrefix + "/x"},
		{"already prefixed", testPrefix + "/a", testPrefix + "/x", testPrefix + "/x"},
		{"foreign host", testPrefix + "/a", "https://login.example.com/auth?next=/", "https://login.example.com/auth?next=/"},
		{"rewrite mode absolute path", "/a/b", "/login", testPrefix + "/login"},
		{"rewrite mode relative", "/a/b", "c", testPrefix + "/a/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := get(t, h.url+tt.path+"?to="+url.QueryEscape(tt.to), nil)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status %s", resp.Status)
			}
			if got := resp.Header.Get("Location"); got != tt.want {
				t.Errorf("Location %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCORSAndFrameHeaders(t *testing.T) {
	tests := []struct {
		name       string
		set        http.Header
		wantOrigin string
		wantXFO    string
		wantCSP    string
	}{
		{"plain", nil, "*", "", ""},
		{"backend origin kept", http.Header{"Access-Control-Allow-Origin": {"https://a.example"}}, "https://a.example", "", ""},
		{"deny becomes sameorigin", http.Header{"X-Frame-Options": {"DENY"}}, "*", "SAMEORIGIN", ""},
		{"sameorigin kept", http.Header{"X-Frame-Options": {"SAMEORIGIN"}}, "*", "SAMEORIGIN", ""},
		{"csp none", http.Header{"Content-Security-Policy": {"default-src 'self'; frame-ancestors 'none'"}}, "*", "",
			"default-src 'self'; frame-ancestors 'self'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, vs := range tt.set {
					w.Header()[k] = vs
				}
				fmt.Fprint(w, "ok")
			}), nil)
			resp, _ := get(t, h.url+testPrefix+"/", http.Header{"Origin": {"https://dashboard.example"}})
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.wantOrigin)
			}
			if n := len(resp.Header.Values("Access-Control-Allow-Origin")); n != 1 {
				t.Errorf("%d Access-Control-Allow-Origin headers, want 1", n)
			}
			if got := resp.Header.Get("X-Frame-Options"); got != tt.wantXFO {
				t.Errorf("X-Frame-Options %q, want %q", got, tt.wantXFO)
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != tt.wantCSP {
				t.Errorf("Content-Security-Policy %q, want %q", got, tt.wantCSP)
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	reached := false
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }), nil)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodOptions, h.url+testPrefix+"/api/x", nil)
	req.Header.Set("Origin", "https://dashboard.example")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type, x-xsrf-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %s, want 204", resp.Status)
	}
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Headers": "content-type, x-xsrf-token",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Errorf("Access-Control-Allow-Methods %q lacks PUT", resp.Header.Get("Access-Control-Allow-Methods"))
	}
	if reached {
		t.Error("preflight reached the IDE")
	}
}

func TestBackendDown(t *testing.T) {
	h := newHarness(t, echoPath(), nil)
	h.backend.Close()
	resp, body := get(t, h.url+testPrefix+"/", nil)
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status %s, want 502", resp.Status)
	}
	if !strings.Contains(body, "did not answer") {
		t.Errorf("body %q does not say the IDE did not answer", body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("502 lacks Access-Control-Allow-Origin")
	}
	// The culling endpoints answer while the IDE is down or starting.
	if s := h.status(t); s.Started == "" {
		t.Error("api/status has no started time")
	}
}
