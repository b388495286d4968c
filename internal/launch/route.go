package launch

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// Route does for one notebook what the Istio VirtualService of the Kubeflow
// notebook controller does: it matches the prefix with a trailing slash and
// sends the request to port 8888, keeping the prefix for Jupyter and
// rewriting it to "/" for the other server types.
type Route struct {
	Prefix string // NB_PREFIX, without a trailing slash
	Type   ServerType
	// Transport reaches the notebook's port 8888; it must support protocol
	// upgrades (an *http.Transport does) for websockets to pass.
	Transport http.RoundTripper
}

// upstream is the address requests are sent to; the transport decides how it
// is actually reached.
var upstream = "127.0.0.1:" + strconv.Itoa(NotebookPort)

// Handler returns the reverse proxy. Requests outside the prefix get 404.
func (rt Route) Handler() http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite:   rt.rewrite,
		Transport: rt.Transport,
		// Negative: flush every write at once, so streamed responses (event
		// streams, long polls, terminal output) are not held back.
		FlushInterval: -1,
		ErrorHandler:  rt.fail,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == rt.Prefix:
			// Kubeflow links to the prefix with a slash; so does the route.
			u := *r.URL
			u.Path += "/"
			u.RawPath = ""
			http.Redirect(w, r, u.String(), http.StatusFound)
		case strings.HasPrefix(p, rt.Prefix+"/"):
			proxy.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

func (rt Route) rewrite(pr *httputil.ProxyRequest) {
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = upstream
	// The Host header stays what the browser sent, as it does behind Istio:
	// servers compare it with Origin for websockets.
	pr.Out.Host = pr.In.Host
	pr.SetXForwarded()
	if !rt.Type.rewrites() {
		return
	}
	rest := strings.TrimPrefix(pr.In.URL.EscapedPath(), rt.Prefix)
	if p, err := url.PathUnescape(rest); err == nil {
		pr.Out.URL.Path, pr.Out.URL.RawPath = p, rest
	}
	if rt.Type == GroupTwo {
		pr.Out.Header.Set("X-RStudio-Root-Path", rt.Prefix+"/")
	}
}

// ErrNotRunning is what the transport answers while the notebook's container
// is stopped or being restarted.
var ErrNotRunning = errors.New("the notebook is not running")

func (rt Route) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := http.StatusBadGateway, "The notebook did not answer: "+err.Error()
	if errors.Is(err, ErrNotRunning) {
		code, msg = http.StatusServiceUnavailable, "The notebook is not running. Start it from the dashboard."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Retry-After", "2")
	w.WriteHeader(code)
	fmt.Fprintf(w, `<!doctype html><title>%d</title><body style="font:15px system-ui;color:#555;padding:2em">%s</body>`, code, html.EscapeString(msg))
}
