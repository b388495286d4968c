package conformance

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// cullingBudget is how long the culler may wait per request.
const cullingBudget = 2 * time.Second

// checkCulling asks what the Kubeflow culler asks, the way it asks it: the
// culler calls the Service directly, so the prefix is always kept, whatever
// rewrite the Istio route does for browsers.
func checkCulling(ctx context.Context, nb *Notebook) Outcome {
	var arr []json.RawMessage
	if o, ok := getJSON(ctx, nb, "/api/kernels", &arr, "a JSON array of kernels"); !ok {
		return o
	}
	var status map[string]any
	if o, ok := getJSON(ctx, nb, "/api/status", &status, "a JSON object with last_activity"); !ok {
		return o
	}
	la, _ := status["last_activity"].(string)
	if la == "" {
		return violation("GET %s/api/status has no last_activity field (got %d fields): Notebooks 2.0 culls on it; serve it (the nbkit contract proxy does for non-Jupyter servers)", nb.Prefix, len(status))
	}
	if _, err := time.Parse(time.RFC3339Nano, la); err != nil {
		return violation("GET %s/api/status: last_activity %q is not an RFC 3339 time", nb.Prefix, la)
	}
	return pass("/api/kernels lists %d kernels, /api/status last_activity %s", len(arr), la)
}

func getJSON(ctx context.Context, nb *Notebook, p string, into any, want string) (Outcome, bool) {
	ctx, cancel := context.WithTimeout(ctx, cullingBudget)
	defer cancel()
	start := time.Now()
	resp, err := nb.do(ctx, RouteKeep, http.MethodGet, nb.external(p), nil, nil)
	if err != nil {
		return violation("GET %s%s (as the culler, prefix kept) got no answer within %s: %v; the culler then treats the notebook as idle or fails", nb.Prefix, p, cullingBudget, err), false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return violation("reading GET %s%s: %v", nb.Prefix, p, err), false
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, into) != nil {
		return violation("GET %s%s (as the culler, prefix kept) answered %s %q after %s, want %s: the Kubeflow culler cannot tell whether the notebook is in use; serve it under NB_PREFIX (non-Jupyter servers: put the nbkit contract proxy in front)",
			nb.Prefix, p, resp.Status, truncate(body, 120), time.Since(start).Round(time.Millisecond), want), false
	}
	return Outcome{}, true
}
