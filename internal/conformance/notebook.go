package conformance

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Route is how the Istio route in front of a notebook hands requests to it.
type Route string

const (
	// RouteKeep forwards the path unchanged, prefix included (Jupyter).
	RouteKeep Route = "prefix"
	// RouteRewrite strips the prefix to "/" and sends X-RStudio-Root-Path
	// (notebooks.kubeflow.org/http-rewrite-uri, used for code-server and RStudio).
	RouteRewrite Route = "rewrite"
)

// Notebook is the server under test as the checks reach it: an HTTP client
// whose connections arrive on the container's loopback port 8888.
type Notebook struct {
	// Client must not follow redirects: the checks judge where they point.
	Client *http.Client
	// Origin is scheme://host:port the browser would see, e.g. http://127.0.0.1:8888.
	Origin string
	// Prefix is NB_PREFIX, without a trailing slash.
	Prefix string
	IDE    IDE
	// Route is the routing mode the checks after prefix use; prefix sets it to
	// one the server supports, so each later check judges its own rule only.
	Route Route
}

// external is the URL a browser would use for path (relative to the prefix).
func (nb *Notebook) external(p string) string {
	return nb.Origin + nb.Prefix + p
}

// do sends a request for the external URL ext the way route delivers it.
func (nb *Notebook) do(ctx context.Context, route Route, method, ext string, hdr http.Header, body io.Reader) (*http.Response, error) {
	u, err := url.Parse(ext)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", ext, err)
	}
	if route == RouteRewrite {
		u.Path = "/" + strings.TrimPrefix(strings.TrimPrefix(u.Path, nb.Prefix), "/")
		u.RawPath = ""
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", ext, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if route == RouteRewrite {
		req.Header.Set("X-RStudio-Root-Path", nb.Prefix+"/")
	}
	return nb.Client.Do(req)
}

// hop is one response of a followed request.
type hop struct {
	URL      string // external URL requested
	Status   int
	Location string // resolved external redirect target, if any
	Header   http.Header
	Cookies  []*http.Cookie
}

// chain is what following a URL through its redirects saw.
type chain struct {
	Hops []hop
	// Left is set when a redirect pointed outside the prefix: the browser
	// would leave the notebook's route there.
	Left string
	// Body of the last response (capped).
	Body []byte
}

func (c chain) last() hop { return c.Hops[len(c.Hops)-1] }

// ok reports whether the chain ended in 2xx without leaving the prefix.
func (c chain) ok() bool {
	return c.Left == "" && c.last().Status/100 == 2
}

func (c chain) describe() string {
	var b strings.Builder
	for i, h := range c.Hops {
		if i > 0 {
			b.WriteString(" → ")
		}
		fmt.Fprintf(&b, "%d", h.Status)
		if h.Location != "" {
			fmt.Fprintf(&b, " %s", pathOf(h.Location))
		}
	}
	return b.String()
}

func (nb *Notebook) underPrefix(ext string) bool {
	u, err := url.Parse(ext)
	if err != nil {
		return false
	}
	return nb.Origin == u.Scheme+"://"+u.Host && strings.HasPrefix(u.Path, nb.Prefix+"/")
}

// follow requests path (relative to the prefix) and its redirects, at most
// 10, stopping at the first one that leaves the prefix. Cookies set on the
// way are sent on, as a browser would.
func (nb *Notebook) follow(ctx context.Context, route Route, p string, hdr http.Header) (chain, error) {
	var c chain
	ext := nb.external(p)
	jar := map[string]string{}
	for range 10 {
		h := hdr.Clone()
		if h == nil {
			h = http.Header{}
		}
		setCookies(h, jar)
		resp, err := nb.do(ctx, route, http.MethodGet, ext, h, nil)
		if err != nil {
			return c, err
		}
		c.Body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		hp := hop{URL: ext, Status: resp.StatusCode, Header: resp.Header, Cookies: resp.Cookies()}
		for _, ck := range hp.Cookies {
			jar[ck.Name] = ck.Value
		}
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
			base, _ := url.Parse(ext)
			target, err := base.Parse(loc)
			if err != nil {
				return c, fmt.Errorf("parsing redirect %q from %s: %w", loc, pathOf(ext), err)
			}
			hp.Location = target.String()
			c.Hops = append(c.Hops, hp)
			if !nb.underPrefix(hp.Location) {
				c.Left = hp.Location
				return c, nil
			}
			ext = hp.Location
			continue
		}
		c.Hops = append(c.Hops, hp)
		return c, nil
	}
	return c, fmt.Errorf("more than 10 redirects from %s", nb.Prefix+p)
}

// setCookies puts jar into one Cookie header, as browsers do (RFC 6265 §5.4):
// servers such as Tornado join repeated Cookie headers with commas and then
// misread the values.
func setCookies(h http.Header, jars ...map[string]string) {
	var parts []string
	for _, jar := range jars {
		for _, k := range slices.Sorted(maps.Keys(jar)) {
			parts = append(parts, k+"="+jar[k])
		}
	}
	if len(parts) > 0 {
		h.Set("Cookie", strings.Join(parts, "; "))
	}
}

// cookies returns the cookies the chain set, latest value winning.
func (c chain) cookies() map[string]string {
	jar := map[string]string{}
	for _, h := range c.Hops {
		for _, ck := range h.Cookies {
			jar[ck.Name] = ck.Value
		}
	}
	return jar
}

func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	s := p.EscapedPath()
	if p.RawQuery != "" {
		s += "?" + p.RawQuery
	}
	return s
}
