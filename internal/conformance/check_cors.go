package conformance

import (
	"context"
	"fmt"
	"net/http"
)

// probeOrigin is the Origin the CORS probe sends: a cross-origin caller,
// so only "*" or an echo of it passes.
const probeOrigin = "https://dashboard.nbkit-check.invalid"

// checkCORS sends requests with an Origin header under the prefix and wants
// Access-Control-Allow-Origin to admit it on the page (and, for Jupyter, the API).
func checkCORS(ctx context.Context, nb *Notebook) Outcome {
	hdr := http.Header{"Origin": {probeOrigin}}
	paths := []string{"/"}
	if nb.IDE == IDEJupyter {
		paths = append(paths, "/api/status")
	}
	for _, p := range paths {
		c, err := nb.follow(ctx, nb.Route, p, hdr)
		if err != nil {
			return violation("GET %s%s with Origin got no answer: %v", nb.Prefix, p, err)
		}
		got := c.last().Header.Values("Access-Control-Allow-Origin")
		if len(got) != 1 || got[0] != "*" && got[0] != probeOrigin {
			seen := "no Access-Control-Allow-Origin header"
			if len(got) > 0 {
				seen = fmt.Sprintf("Access-Control-Allow-Origin: %q", got)
			}
			return violation("GET %s%s with Origin: %s answered %d with %s; send Access-Control-Allow-Origin: * (Jupyter: --ServerApp.allow_origin='*')",
				nb.Prefix, p, probeOrigin, c.last().Status, seen)
		}
	}
	return pass("Access-Control-Allow-Origin admits %s on %v", probeOrigin, paths)
}
