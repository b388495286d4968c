package launch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// seen is what the backend behind the route received.
type seen struct {
	Path, RawPath, Query, Host, RootPath, Cookie string
}

// newBackend starts a stand-in notebook: /ws echoes over a websocket, /events
// streams, everything else describes the request it got.
func newBackend(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/ws"):
			echoWebsocket(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		case strings.HasSuffix(r.URL.Path, "/events"):
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte("data: first\n\n"))
			w.(http.Flusher).Flush()
			<-r.Context().Done() // never finishes on its own
		default:
			json.NewEncoder(w).Encode(seen{
				Path: r.URL.Path, RawPath: r.URL.RawPath, Query: r.URL.RawQuery, Host: r.Host,
				RootPath: r.Header.Get("X-RStudio-Root-Path"), Cookie: r.Header.Get("Cookie"),
			})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// transportTo reaches the backend whatever address the route asks for, as
// the prober does for 127.0.0.1:8888 inside the container.
func transportTo(srv *httptest.Server) *http.Transport {
	addr := srv.Listener.Addr().String()
	return &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func TestRouteRewritesLikeIstio(t *testing.T) {
	backend := newBackend(t)
	const prefix = "/notebook/ns1/nb1"
	tests := []struct {
		typ          ServerType
		path         string
		wantPath     string
		wantRawPath  string
		wantRootPath string
	}{
		{Jupyter, prefix + "/lab/tree/a.ipynb", prefix + "/lab/tree/a.ipynb", "", ""},
		{Jupyter, prefix + "/", prefix + "/", "", ""},
		{GroupOne, prefix + "/", "/", "", ""},
		{GroupOne, prefix + "/static/x.js", "/static/x.js", "", ""},
		{GroupOne, prefix + "/api/contents/a%2Fb", "/api/contents/a/b", "/api/contents/a%2Fb", ""},
		{GroupTwo, prefix + "/rstudio/x", "/rstudio/x", "", prefix + "/"},
	}
	for _, tc := range tests {
		t.Run(string(tc.typ)+tc.path, func(t *testing.T) {
			front := httptest.NewServer(Route{Prefix: prefix, Type: tc.typ, Transport: transportTo(backend)}.Handler())
			defer front.Close()
			resp, err := http.Get(front.URL + tc.path + "?q=1")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got seen
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("status %d: %v", resp.StatusCode, err)
			}
			want := seen{Path: tc.wantPath, RawPath: tc.wantRawPath, Query: "q=1", Host: front.Listener.Addr().String(), RootPath: tc.wantRootPath}
			if got != want {
				t.Errorf("backend saw %+v\nwant          %+v", got, want)
			}
		})
	}
}

func TestRouteOutsidePrefix(t *testing.T) {
	backend := newBackend(t)
	front := httptest.NewServer(Route{Prefix: "/notebook/ns1/nb1", Type: Jupyter, Transport: transportTo(backend)}.Handler())
	defer front.Close()
	hc := &http.Client{CheckRedirect: noRedirect}

	resp, err := hc.Get(front.URL + "/notebook/ns1/nb1?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/notebook/ns1/nb1/?x=1" {
		t.Errorf("prefix without slash: %d Location %q, want 302 to the prefix with a slash", resp.StatusCode, loc)
	}
	for _, p := range []string{"/notebook/ns1/nb10/", "/notebook/ns1/", "/lab"} {
		resp, err := hc.Get(front.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestRoutePassesWebsocketsAndStreams(t *testing.T) {
	backend := newBackend(t)
	for _, typ := range []ServerType{Jupyter, GroupOne} {
		t.Run(string(typ), func(t *testing.T) {
			front := httptest.NewServer(Route{Prefix: "/notebook/ns1/nb1", Type: typ, Transport: transportTo(backend)}.Handler())
			defer front.Close()
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()

			c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(front.URL, "http")+"/notebook/ns1/nb1/api/kernels/k/ws", nil)
			if err != nil {
				t.Fatalf("websocket through the route: %v", err)
			}
			defer c.CloseNow()
			if err := c.Write(ctx, websocket.MessageText, []byte("1+1")); err != nil {
				t.Fatal(err)
			}
			_, msg, err := c.Read(ctx)
			if err != nil || string(msg) != "echo 1+1" {
				t.Errorf("websocket answer = %q, %v; want \"echo 1+1\"", msg, err)
			}

			// The backend never ends this response: the first event must
			// arrive anyway.
			req, _ := http.NewRequestWithContext(ctx, "GET", front.URL+"/notebook/ns1/nb1/events", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			line, err := bufio.NewReader(resp.Body).ReadString('\n')
			if err != nil || line != "data: first\n" {
				t.Errorf("first streamed line = %q, %v", line, err)
			}
		})
	}
}

type failingTransport struct{ err error }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

func TestRouteReportsStoppedNotebook(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{ErrNotRunning, http.StatusServiceUnavailable},
		{errors.New("connection refused"), http.StatusBadGateway},
	} {
		front := httptest.NewServer(Route{Prefix: "/notebook/a/b", Type: Jupyter, Transport: failingTransport{tc.err}}.Handler())
		resp, err := http.Get(front.URL + "/notebook/a/b/")
		front.Close()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("transport error %q: status %d, want %d", tc.err, resp.StatusCode, tc.want)
		}
	}
}
