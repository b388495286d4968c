package frontproxy

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"time"
)

// Proxy is the contract proxy as an http.Handler.
type Proxy struct {
	cfg      Config
	act      *activity
	kernelID string
	log      *slog.Logger
	rp       *httputil.ReverseProxy
}

// New builds the proxy. log receives access lines (when cfg.AccessLog) and
// backend errors (at debug level: a starting IDE refuses connections for a
// while and that is not news).
func New(cfg Config, log *slog.Logger) *Proxy {
	return newProxy(cfg, log, time.Now)
}

func newProxy(cfg Config, log *slog.Logger, now func() time.Time) *Proxy {
	p := &Proxy{
		cfg:      cfg,
		act:      newActivity(now, cfg.WSWindow),
		kernelID: newKernelID(),
		log:      log,
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.backendError,
		Transport:      backendTransport(),
		BufferPool:     newBufferPool(),
		// Stream everything as it comes: terminals, logs, server-sent events.
		FlushInterval: -1,
	}
	return p
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := p.act.now()
	mw := &meteredWriter{ResponseWriter: w, act: p.act, floor: p.cfg.WSFloor, window: p.cfg.WSWindow}
	p.serve(mw, r)
	if p.cfg.AccessLog {
		p.log.Info("request", "method", r.Method, "path", r.URL.RequestURI(), "status", mw.status,
			"duration", p.act.now().Sub(start), "remote", r.RemoteAddr)
	}
}

func (p *Proxy) serve(w *meteredWriter, r *http.Request) {
	rt := routeFor(p.cfg.Prefix, r.URL)
	if rt.redirect {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		target := p.cfg.Prefix + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		code := http.StatusFound
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			code = http.StatusTemporaryRedirect
		}
		http.Redirect(w, r, target, code)
		return
	}
	if p.cfg.Culling {
		if endpoint, ok := cullingEndpoint(rt.path); ok {
			p.serveCulling(w, r, endpoint)
			return
		}
	}
	if isPreflight(r) {
		answerPreflight(w, r)
		return
	}
	w.user = fromBrowser(r)
	out := r.Clone(r.Context())
	out.URL.Path, out.URL.RawPath = rt.path, rt.rawPath
	p.rp.ServeHTTP(w, out)
	// A long download or stream is use until its last byte. A websocket is
	// not: its traffic was metered, and its end (a tab closed hours after
	// the user left) is no sign of anybody.
	if w.user && served(w.status) && w.status != http.StatusSwitchingProtocols {
		p.act.request()
	}
}

func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(p.cfg.Backend)
	// The IDE sees the browser's host, as behind any reverse proxy: code-server
	// compares it with the websocket Origin and refuses a mismatch.
	pr.Out.Host = pr.In.Host
	// The mesh in front (Istio's sidecar) already said how the browser came
	// in, often over https; the IDE builds its absolute URLs from that, so
	// keep it and add this hop.
	pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
	pr.SetXForwarded()
	for _, h := range []string{"X-Forwarded-Host", "X-Forwarded-Proto"} {
		if v := pr.In.Header.Get(h); v != "" {
			pr.Out.Header.Set(h, v)
		}
	}
	if p.cfg.Mode == ModeRStudio && p.cfg.Prefix != "" {
		pr.Out.Header.Set("X-RStudio-Root-Path", p.cfg.Prefix+"/")
	}
}

func (p *Proxy) modifyResponse(resp *http.Response) error {
	h := resp.Header
	if loc := h.Get("Location"); loc != "" {
		own := []string{resp.Request.Host, resp.Request.Header.Get("X-Forwarded-Host")}
		h.Set("Location", fixLocation(loc, p.cfg.Prefix, resp.Request.URL.EscapedPath(), own, p.cfg.Backend.Host))
	}
	allowOrigin(h)
	allowSameOriginFrames(h)
	return nil
}

func (p *Proxy) backendError(w http.ResponseWriter, r *http.Request, err error) {
	p.log.Debug("backend error", "path", r.URL.Path, "err", err)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	http.Error(w, fmt.Sprintf("nbproxy: the IDE at %s did not answer: %v", p.cfg.Backend.Host, err), http.StatusBadGateway)
}

// newKernelID makes the pseudo-kernel's id, a random UUID like Jupyter's.
func newKernelID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
