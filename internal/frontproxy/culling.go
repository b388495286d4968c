package frontproxy

import (
	"encoding/json"
	"net/http"
	"time"
)

// jupyterTime is how jupyter_server writes timestamps (UTC, microseconds,
// "Z"); the Kubeflow culler parses it as RFC 3339.
const jupyterTime = "2006-01-02T15:04:05.000000Z"

// kernel is one entry of Jupyter's GET /api/kernels.
type kernel struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	LastActivity   string `json:"last_activity"`
	ExecutionState string `json:"execution_state"`
	Connections    int    `json:"connections"`
}

// status is Jupyter's GET /api/status, which Notebooks 2.0 polls.
type status struct {
	Connections  int    `json:"connections"`
	Kernels      int    `json:"kernels"`
	LastActivity string `json:"last_activity"`
	Started      string `json:"started"`
}

// kernels reports the IDE as one pseudo-kernel once anybody used it, so that
// the v1 culler, which keeps the notebook alive while any kernel is not
// "idle" and otherwise takes the newest last_activity, culls it after the
// user leaves. Before any use there is no kernel: the culler then keeps the
// notebook's creation time as its last activity, as for an unused Jupyter.
func kernels(s snapshot, id string, mode Mode) []kernel {
	if s.LastActivity.IsZero() && s.Connections == 0 {
		return []kernel{}
	}
	state := "idle"
	if s.Busy {
		state = "busy"
	}
	last := s.LastActivity
	if last.IsZero() {
		last = s.Started
	}
	return []kernel{{
		ID:             id,
		Name:           string(mode),
		LastActivity:   formatTime(last),
		ExecutionState: state,
		Connections:    s.Connections,
	}}
}

// statusOf follows jupyter_server: with no activity yet, last_activity is the
// start time.
func statusOf(s snapshot, id string, mode Mode) status {
	last := s.LastActivity
	if last.IsZero() {
		last = s.Started
	}
	return status{
		Connections:  s.Connections,
		Kernels:      len(kernels(s, id, mode)),
		LastActivity: formatTime(last),
		Started:      formatTime(s.Started),
	}
}

func formatTime(t time.Time) string { return t.UTC().Format(jupyterTime) }

func (p *Proxy) serveCulling(w http.ResponseWriter, r *http.Request, endpoint string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	snap := p.act.read()
	var body any = statusOf(snap, p.kernelID, p.cfg.Mode)
	if endpoint == "kernels" {
		body = kernels(snap, p.kernelID, p.cfg.Mode)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	// Encoding these fixed types cannot fail; a write error means the
	// culler went away, and there is nobody to tell.
	_ = json.NewEncoder(w).Encode(body)
}
