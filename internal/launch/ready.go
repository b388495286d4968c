package launch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// readyRequest is the request a browser's first page load sends, as the
// route delivers it to the server.
func (s Spec) readyRequest(ctx context.Context) *http.Request {
	p := s.Prefix() + "/"
	if s.ServerType.rewrites() {
		p = "/"
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+upstream+p, nil)
	if s.ServerType == GroupTwo {
		req.Header.Set("X-RStudio-Root-Path", s.Prefix()+"/")
	}
	return req
}

// waitReady polls until the server answers under its route with anything but
// a server error, the container exits, or the timeout passes.
func (n *Notebook) waitReady(ctx context.Context, id string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, r := n.current()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		resp, err := r.transport.RoundTrip(n.spec.readyRequest(attempt))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode < 500 {
				cancelAttempt()
				return nil
			}
			err = fmt.Errorf("answered %s", resp.Status)
		}
		cancelAttempt()
		last = err
		if ins, err := n.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err == nil && ins.Container.State != nil && !ins.Container.State.Running {
			return fmt.Errorf("the notebook exited with status %d before it was ready; its last output:\n%s",
				ins.Container.State.ExitCode, indent(tailLogs(context.WithoutCancel(ctx), n.cli, id, 20)))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the notebook did not answer on port %d under %s/ within %s (last: %v); its last output:\n%s",
				NotebookPort, n.spec.Prefix(), timeout, last, indent(tailLogs(context.WithoutCancel(ctx), n.cli, id, 20)))
		case <-tick.C:
		}
	}
}

func indent(s string) string {
	if s == "" {
		return "  (nothing)"
	}
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
