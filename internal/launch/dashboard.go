package launch

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sync"
	"time"
)

//go:embed web
var webFiles embed.FS

// Dashboard is the HTTP server of nbkit run: the page that shows the
// notebook the way Kubeflow's central dashboard does (in an iframe, on the
// same origin), its small JSON and event-stream API, and the notebook's route.
type Dashboard struct {
	nb           *Notebook
	startTimeout time.Duration
	// life bounds the work buttons start, which outlives their requests.
	life context.Context

	actMu   sync.Mutex
	act     *Activity
	actErr  string
	actWhen time.Time
}

// NewDashboard returns the dashboard's handler, guarded by token.
func NewDashboard(life context.Context, nb *Notebook, token Token, startTimeout time.Duration) http.Handler {
	d := &Dashboard{nb: nb, startTimeout: startTimeout, life: life}
	static, _ := fs.Sub(webFiles, "web")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", http.FileServerFS(static))
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /api/notebook", d.describe)
	mux.HandleFunc("GET /api/logs", d.logs)
	mux.HandleFunc("POST /api/stop", d.stop)
	mux.HandleFunc("POST /api/restart", d.restart)
	mux.Handle("/notebook/", nb.Route().Handler())
	return token.Guard(mux)
}

// description is what the page shows.
type description struct {
	Name       string     `json:"name"`
	Namespace  string     `json:"namespace"`
	Image      string     `json:"image"`
	ServerType ServerType `json:"serverType"`
	Prefix     string     `json:"prefix"`
	Volume     string     `json:"volume"`
	Network    string     `json:"network"`
	Status     Status     `json:"status"`
	Activity   *Activity  `json:"activity,omitempty"`
	// ActivityError says why there is no activity (e.g. no culling endpoint).
	ActivityError string `json:"activityError,omitempty"`
}

func (d *Dashboard) describe(w http.ResponseWriter, r *http.Request) {
	s := d.nb.Spec()
	desc := description{
		Name: s.Name, Namespace: s.Namespace, Image: s.Image, ServerType: s.ServerType,
		Prefix: s.Prefix(), Volume: s.VolumeName(), Network: string(s.Network),
		Status: d.nb.Status(r.Context()),
	}
	if desc.Status.Phase == PhaseReady {
		desc.Activity, desc.ActivityError = d.activity(r.Context())
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(desc)
}

// activity asks the culling endpoints at most every few seconds, however
// many dashboards poll.
func (d *Dashboard) activity(ctx context.Context) (*Activity, string) {
	d.actMu.Lock()
	defer d.actMu.Unlock()
	if time.Since(d.actWhen) > 5*time.Second {
		a, err := d.nb.Activity(ctx)
		d.act, d.actErr, d.actWhen = &a, "", time.Now()
		if err != nil {
			d.act, d.actErr = nil, err.Error()
		}
	}
	return d.act, d.actErr
}

func (d *Dashboard) stop(w http.ResponseWriter, r *http.Request) {
	go d.nb.Stop(context.WithoutCancel(d.life))
	w.WriteHeader(http.StatusAccepted)
}

func (d *Dashboard) restart(w http.ResponseWriter, r *http.Request) {
	go func() {
		// A restart that fails shows up in the status; nothing to return here.
		if d.nb.Status(d.life).Phase == PhaseStopped {
			d.nb.Start(d.life, d.startTimeout)
			return
		}
		d.nb.Restart(d.life, d.startTimeout)
	}()
	d.actMu.Lock()
	d.actWhen = time.Time{}
	d.actMu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// logs streams the notebook's output as server-sent events, one line each.
func (d *Dashboard) logs(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fl.Flush()
	d.nb.FollowLogs(r.Context(), func(line string) {
		fmt.Fprintf(w, "data: %s\n\n", line)
		fl.Flush()
	})
}
