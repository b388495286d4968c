package conformance

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

func isNotFound(err error) bool { return cerrdefs.IsNotFound(err) }

// readiness is what waiting for a server on port 8888 found.
type readiness struct {
	Ready    bool
	Elapsed  time.Duration
	Exited   bool
	ExitCode int
	Status   int // first HTTP status seen
	Logs     string
	// StartErr is the engine's refusal to create or start the container.
	StartErr string
	prober   Prober
}

// describe says why a start did not become ready, for messages.
func (r readiness) describe(timeout time.Duration) string {
	if r.StartErr != "" {
		return "the engine could not start the container: " + r.StartErr
	}
	if r.Exited {
		return fmt.Sprintf("the container exited with code %d after %s%s", r.ExitCode, r.Elapsed.Round(100*time.Millisecond), logTail(r.Logs))
	}
	return fmt.Sprintf("nothing answered HTTP on 127.0.0.1:8888 within %s%s", timeout, logTail(r.Logs))
}

func logTail(logs string) string {
	logs = strings.TrimSpace(logs)
	if logs == "" {
		return " (no output)"
	}
	return "; last output: " + logs
}

// waitReady polls http://127.0.0.1:8888/ inside the container until any HTTP
// answer, the container's exit, or timeout.
func (d *Docker) waitReady(ctx context.Context, s *session, id string, timeout time.Duration) (readiness, error) {
	start := time.Now()
	deadline := start.Add(timeout)
	var r readiness
	for {
		st, err := d.Engine.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return r, fmt.Errorf("inspecting container: %w", err)
		}
		if state := st.Container.State; state != nil && !state.Running {
			r.Exited, r.ExitCode, r.Elapsed = true, state.ExitCode, time.Since(start)
			r.Logs = d.logs(ctx, id)
			return r, nil
		}
		if r.prober == nil {
			p, err := s.prober(ctx, d.NewProber, id)
			switch {
			case err == nil:
				r.prober = p
			case ctx.Err() != nil:
				return r, ctx.Err()
			case d.running(ctx, id):
				// Not a race with the container's exit: the probe itself is broken.
				return r, fmt.Errorf("starting the loopback probe: %w", err)
			}
		}
		if r.prober != nil {
			actx, cancel := context.WithTimeout(ctx, 3*time.Second)
			req, _ := http.NewRequestWithContext(actx, http.MethodGet, "http://127.0.0.1:8888/", nil)
			resp, err := r.prober.HTTPClient().Do(req)
			cancel()
			slog.Debug("probing port 8888", "container", id[:12], "err", err)
			if err == nil {
				resp.Body.Close()
				r.Ready, r.Status, r.Elapsed = true, resp.StatusCode, time.Since(start)
				return r, nil
			}
		}
		if time.Now().After(deadline) {
			r.Elapsed = time.Since(start)
			r.Logs = d.logs(ctx, id)
			return r, nil
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (d *Docker) running(ctx context.Context, id string) bool {
	st, err := d.Engine.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	return err == nil && st.Container.State != nil && st.Container.State.Running
}

// loopbackOnly reads the container's listening sockets (its own /proc, via
// cat: nothing to report when the image has none) and reports whether
// port 8888 is bound to loopback only.
func (d *Docker) loopbackOnly(ctx context.Context, id string) bool {
	res, err := d.exec(ctx, id, "", "cat", "/proc/net/tcp", "/proc/net/tcp6")
	if err != nil {
		return false
	}
	return loopbackOnly(parseListeners(res.Stdout), 8888)
}

// logs returns the last lines the container printed.
func (d *Docker) logs(ctx context.Context, id string) string {
	rc, err := d.Engine.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: "5"})
	if err != nil {
		return ""
	}
	defer rc.Close()
	var out bytes.Buffer
	stdcopy.StdCopy(&out, &out, io.LimitReader(rc, 64<<10))
	return strings.Join(strings.Fields(strings.ReplaceAll(out.String(), "\n", " | ")), " ")
}

// stopResult is what SIGTERM did.
type stopResult struct {
	Latency  time.Duration
	ExitCode int
	Killed   bool // still running after the grace: SIGKILL sent
}

// stop sends SIGTERM, waits up to grace, then SIGKILL, as the kubelet does.
func (d *Docker) stop(ctx context.Context, id string, grace time.Duration) (stopResult, error) {
	var r stopResult
	start := time.Now()
	wait := d.Engine.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	if _, err := d.Engine.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "SIGTERM"}); err != nil {
		return r, fmt.Errorf("sending SIGTERM: %w", err)
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case res := <-wait.Result:
		r.Latency, r.ExitCode = time.Since(start), int(res.StatusCode)
		return r, nil
	case err := <-wait.Error:
		return r, fmt.Errorf("waiting for the container to stop: %w", err)
	case <-ctx.Done():
		return r, ctx.Err()
	case <-timer.C:
	}
	r.Killed, r.Latency = true, time.Since(start)
	if _, err := d.Engine.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "SIGKILL"}); err != nil && !isNotFound(err) {
		return r, fmt.Errorf("sending SIGKILL: %w", err)
	}
	select {
	case res := <-wait.Result:
		r.ExitCode = int(res.StatusCode)
	case err := <-wait.Error:
		return r, fmt.Errorf("waiting for the container to stop: %w", err)
	case <-ctx.Done():
		return r, ctx.Err()
	}
	return r, nil
}

// execResult is the output of a command run in a container.
type execResult struct {
	Stdout, Stderr string
	Code           int
}

// errNoSuchCommand is what exec reports for a program the image lacks.
var errNoSuchCommand = errors.New("command not found in the image")

// exec runs cmd in the running container as user (the container's user when "").
func (d *Docker) exec(ctx context.Context, id, user string, cmd ...string) (execResult, error) {
	var r execResult
	ex, err := d.Engine.ExecCreate(ctx, id, client.ExecCreateOptions{User: user, Cmd: cmd, AttachStdout: true, AttachStderr: true, WorkingDir: "/home/jovyan"})
	if err != nil {
		return r, fmt.Errorf("creating exec of %s: %w", cmd[0], err)
	}
	att, err := d.Engine.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return r, fmt.Errorf("running %s: %w", cmd[0], err)
	}
	defer att.Close()
	var out, errb bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errb, att.Reader); err != nil {
		return r, fmt.Errorf("reading output of %s: %w", cmd[0], err)
	}
	insp, err := d.Engine.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
	if err != nil {
		return r, fmt.Errorf("inspecting exec of %s: %w", cmd[0], err)
	}
	r = execResult{Stdout: out.String(), Stderr: errb.String(), Code: insp.ExitCode}
	if r.Code == 126 || r.Code == 127 {
		if combined := r.Stdout + r.Stderr; strings.Contains(combined, "not found") || strings.Contains(combined, "no such file") {
			return r, fmt.Errorf("%s: %w", cmd[0], errNoSuchCommand)
		}
	}
	return r, nil
}

// readFiles fills an imageFiles from a container's filesystem (created or
// running) through the archive API.
func (d *Docker) readFiles(ctx context.Context, id string) (*imageFiles, error) {
	f := newImageFiles()
	for _, p := range append(append([]string{}, contentPaths...), treePaths...) {
		res, err := d.Engine.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: p})
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("copying %s out of the image: %w", p, err)
		}
		err = f.add(res.Content, parentDir(p))
		res.Content.Close()
		if err != nil {
			return nil, err
		}
	}
	f.hasShell = d.exists(ctx, id, "/bin/sh")
	for _, m := range s6Markers {
		f.isS6 = f.isS6 || d.exists(ctx, id, m)
	}
	return f, nil
}

func (d *Docker) exists(ctx context.Context, id, p string) bool {
	_, err := d.Engine.ContainerStatPath(ctx, id, client.ContainerStatPathOptions{Path: p})
	return err == nil
}

// readFile returns one file's content from a container.
func (d *Docker) readFile(ctx context.Context, id, p string) ([]byte, error) {
	res, err := d.Engine.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: p})
	if err != nil {
		return nil, fmt.Errorf("copying %s out of the container: %w", p, err)
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	if _, err := tr.Next(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return io.ReadAll(io.LimitReader(tr, maxContent))
}

func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}
