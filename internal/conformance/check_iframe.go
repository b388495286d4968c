package conformance

import (
	"context"
	"net/http"
	"strings"
)

// checkIframe reads the framing headers of the page under the prefix. The
// dashboard embeds the notebook from the same origin, so SAMEORIGIN and
// 'self' are fine; DENY or frame-ancestors 'none' break the dashboard.
func checkIframe(ctx context.Context, nb *Notebook) Outcome {
	c, err := nb.follow(ctx, nb.Route, "/", nil)
	if err != nil {
		return violation("GET %s/ got no answer: %v", nb.Prefix, err)
	}
	return judgeFraming(nb.Prefix+"/", c.last().Header)
}

func judgeFraming(where string, h http.Header) Outcome {
	for _, xfo := range h.Values("X-Frame-Options") {
		switch v := strings.ToUpper(strings.TrimSpace(xfo)); {
		case v == "SAMEORIGIN":
		case v == "DENY":
			return violation("%s sends X-Frame-Options: DENY, so the Kubeflow dashboard shows an empty frame; drop the header or send SAMEORIGIN", where)
		default:
			return violation("%s sends X-Frame-Options: %s, which browsers treat as DENY; send SAMEORIGIN or no header", where, xfo)
		}
	}
	for _, csp := range h.Values("Content-Security-Policy") {
		for dir := range strings.SplitSeq(csp, ";") {
			fields := strings.Fields(dir)
			if len(fields) == 0 || !strings.EqualFold(fields[0], "frame-ancestors") {
				continue
			}
			srcs := fields[1:]
			admits := false
			for _, s := range srcs {
				if s == "'self'" || s == "*" {
					admits = true
				}
			}
			switch {
			case admits:
			case len(srcs) == 0 || len(srcs) == 1 && srcs[0] == "'none'":
				return violation("%s sends Content-Security-Policy %q, which forbids every frame; the dashboard embeds the notebook from its own origin: use frame-ancestors 'self'", where, strings.TrimSpace(dir))
			default:
				return advisory("%s sends Content-Security-Policy %q without 'self'; the dashboard embeds the notebook from the notebook's own origin, add 'self'", where, strings.TrimSpace(dir))
			}
		}
	}
	return pass("%s may be framed by its own origin", where)
}
