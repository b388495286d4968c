package launch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Activity is what Kubeflow's culler would conclude about the notebook.
type Activity struct {
	// Last is the newest activity the server reports.
	Last time.Time `json:"last"`
	// Busy is true when a kernel is executing: active now, whatever Last says.
	Busy bool `json:"busy"`
	// Source is the endpoint that answered.
	Source string `json:"source"`
}

// Activity asks the culling endpoints the way the culler does: straight to
// the Service with the prefix (no route rewrite, whatever the server type),
// first Notebooks 2.0's api/status, then v1's api/kernels.
func (n *Notebook) Activity(ctx context.Context) (Activity, error) {
	hc := &http.Client{Transport: notebookTransport{n}, Timeout: 2 * time.Second}
	base := "http://" + upstream + n.spec.Prefix()

	var status struct {
		LastActivity *time.Time `json:"last_activity"`
	}
	errStatus := getJSON(ctx, hc, base+"/api/status", &status)
	if errStatus == nil && status.LastActivity != nil {
		a := Activity{Last: *status.LastActivity, Source: "api/status"}
		// api/status does not say whether a kernel is busy; api/kernels does.
		if k, err := kernelActivity(ctx, hc, base); err == nil {
			a.Busy = k.Busy
		}
		return a, nil
	}
	a, err := kernelActivity(ctx, hc, base)
	if err != nil {
		return Activity{}, fmt.Errorf("reading activity: api/status: %v; api/kernels: %w", errStatus, err)
	}
	return a, nil
}

func kernelActivity(ctx context.Context, hc *http.Client, base string) (Activity, error) {
	var kernels []struct {
		ExecutionState string    `json:"execution_state"`
		LastActivity   time.Time `json:"last_activity"`
	}
	if err := getJSON(ctx, hc, base+"/api/kernels", &kernels); err != nil {
		return Activity{}, err
	}
	a := Activity{Source: "api/kernels"}
	for _, k := range kernels {
		if k.ExecutionState != "idle" {
			a.Busy = true
		}
		if k.LastActivity.After(a.Last) {
			a.Last = k.LastActivity
		}
	}
	return a, nil
}

func getJSON(ctx context.Context, hc *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
