package frontproxy

import (
	"net/http"
	"strings"
)

// allowOrigin adds the CORS header the Kubeflow image contract asks for,
// unless the IDE set its own (an echoed origin with credentials must stay).
func allowOrigin(h http.Header) {
	if h.Get("Access-Control-Allow-Origin") == "" {
		h.Set("Access-Control-Allow-Origin", "*")
	}
}

// isPreflight reports a CORS preflight, which the proxy answers itself: the
// IDEs behind it do not, and the contract wants cross-origin calls allowed.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

func answerPreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	w.WriteHeader(http.StatusNoContent)
}

// allowSameOriginFrames lets the dashboard, which shares the notebook's
// origin, show the IDE in an iframe, while other origins stay locked out
// where the IDE locked them out.
func allowSameOriginFrames(h http.Header) {
	if strings.EqualFold(strings.TrimSpace(h.Get("X-Frame-Options")), "DENY") {
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	if csp := h.Values("Content-Security-Policy"); len(csp) > 0 {
		for i, v := range csp {
			csp[i] = frameAncestorsSelf(v)
		}
	}
}

// frameAncestorsSelf makes a CSP's frame-ancestors directive admit 'self':
// 'none' becomes 'self', a source list without 'self' or * gains it.
func frameAncestorsSelf(policy string) string {
	directives := strings.Split(policy, ";")
	for i, d := range directives {
		fields := strings.Fields(d)
		if len(fields) == 0 || !strings.EqualFold(fields[0], "frame-ancestors") {
			continue
		}
		sources := fields[1:]
		allowed := false
		kept := sources[:0]
		for _, s := range sources {
			switch strings.ToLower(s) {
			case "'none'":
				continue
			case "'self'", "*":
				allowed = true
			}
			kept = append(kept, s)
		}
		if !allowed {
			kept = append(kept, "'self'")
		}
		lead := ""
		if i > 0 {
			lead = " "
		}
		directives[i] = lead + "frame-ancestors " + strings.Join(kept, " ")
	}
	return strings.Join(directives, ";")
}
