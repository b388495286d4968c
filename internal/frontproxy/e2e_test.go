package frontproxy

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// ide is one IDE the proxy is tested in front of, as a pod would run it:
// the IDE's container (network none) with nbproxy either in a second
// container sharing its network namespace (the stand-in), or run by the
// image itself as its nbinit service (the codeserver image of the tree).
type ide struct {
	name  string
	image string
	// env moves the IDE to 127.0.0.1:8889, behind the proxy.
	env []string
	// cmd replaces the image's entrypoint (the stand-in); nil runs the image.
	cmd  []string
	mode Mode
	// wsPath is a websocket URL under the prefix the IDE accepts.
	wsPath string
	// echo: the websocket echoes, so traffic can be shown to count.
	echo bool
	// builtin: the image runs nbproxy itself on 8888, as the tree's images do.
	builtin bool
}

// e2eIDEs lists the IDEs to test.
func e2eIDEs() []ide {
	return []ide{
		{
			name: "stand-in", image: "debian:trixie-slim",
			cmd: []string{"/tmp/e2e.test"}, env: []string{roleEnv + "=backend"},
			mode: ModeGeneric, wsPath: "/ws", echo: true,
		},
		{
			// The codeserver image as `make images` builds it: code-server on
			// 127.0.0.1:8889 behind its own nbproxy service.
			name: "codeserver", image: "nbkit/codeserver:latest",
			mode: ModeCodeServer, builtin: true,
			// VS Code's remote agent upgrades this and then waits, silent,
			// for the client's handshake: an editor doing nothing.
			wsPath: "/?reconnectionToken=5b0d8a4e-2f1c-4c7e-9a53-0c6f1d2e3a4b&reconnection=false&skipWebSocketFrames=false",
		},
	}
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test runs containers")
	}
	cli := enginetest.Client(t)
	nbproxy := buildNBProxy(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, ide := range e2eIDEs() {
		t.Run(ide.name, func(t *testing.T) {
			enginetest.Image(t, cli, ide.image)
			rep := runPod(t, cli, ide, nbproxy, self)
			judge(t, ide, rep)
		})
	}
}

func judge(t *testing.T, ide ide, r *probeReport) {
	t.Logf("%s: ready through the proxy after %s, redirects %v", ide.name, r.ReadyAfter, r.Redirects)
	for _, e := range r.Errors {
		t.Error(e)
	}
	t.Logf("%s: rewrite mode: status %d, redirects %v", ide.name, r.RewriteStatus, r.RewriteRedirects)
	if r.RewriteStatus/100 != 2 {
		t.Errorf("rewrite mode: GET / ended in %d, want 2xx", r.RewriteStatus)
	}
	if got := r.PageHeaders.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("page: Access-Control-Allow-Origin %q, want *", got)
	}
	if got := r.PageHeaders.Get("X-Frame-Options"); strings.EqualFold(got, "DENY") {
		t.Errorf("page: X-Frame-Options %q", got)
	}
	for _, csp := range r.PageHeaders.Values("Content-Security-Policy") {
		if strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("page: Content-Security-Policy %q", csp)
		}
	}
	if len(r.KernelsBeforeUse) != 0 {
		t.Errorf("before any use: kernels %+v, want []", r.KernelsBeforeUse)
	}
	if r.LastBeforeUse != r.Started {
		t.Errorf("before any use: last_activity %s, want started %s", r.LastBeforeUse, r.Started)
	}
	if !(r.LastAfterUse > r.LastBeforeUse) {
		t.Errorf("loading the IDE did not move last_activity (%s → %s)", r.LastBeforeUse, r.LastAfterUse)
	}
	if r.LastAfterPolls != r.LastAfterUse {
		t.Errorf("culler polls moved last_activity from %s to %s", r.LastAfterUse, r.LastAfterPolls)
	}
	if len(r.KernelsAfterUse) != 1 || r.KernelsAfterUse[0].ExecutionState != "idle" || r.KernelsAfterUse[0].LastActivity != r.LastAfterPolls {
		t.Errorf("after use: kernels %+v, want one idle kernel at %s", r.KernelsAfterUse, r.LastAfterPolls)
	}
	if r.WSError != "" {
		t.Errorf("websocket through the proxy: %s", r.WSError)
	} else {
		if r.WSConnections != 1 {
			t.Errorf("connections %d with one websocket open, want 1", r.WSConnections)
		}
		if ide.echo && !(r.LastAfterWSTraffic > r.LastAfterIdleWS) {
			t.Errorf("websocket traffic did not move last_activity (%s → %s)", r.LastAfterIdleWS, r.LastAfterWSTraffic)
		}
		if r.ConnsAfterClose != 0 {
			t.Errorf("connections %d after the websocket closed, want 0", r.ConnsAfterClose)
		}
	}
	if !(r.LastAfterSecondUse > r.LastAfterPolls) {
		t.Errorf("a later request did not move last_activity (%s → %s)", r.LastAfterPolls, r.LastAfterSecondUse)
	}
}

// runPod starts the IDE, nbproxy next to it, and the probe, and returns the
// probe's report.
func runPod(t *testing.T, cli *client.Client, ide ide, nbproxy, self string) *probeReport {
	ctx := t.Context()
	prefix := "/notebook/e2e/" + strings.ReplaceAll(ide.name, "-", "")
	proxyBin, selfBin := readFile(t, nbproxy), readFile(t, self)
	files := []tarEntry{{name: "tmp/nbproxy", data: proxyBin}, {name: "tmp/e2e.test", data: selfBin}}

	ideCfg := &container.Config{Image: ide.image, Env: append([]string{"NB_PREFIX=" + prefix}, ide.env...)}
	if ide.cmd != nil {
		ideCfg.Entrypoint, ideCfg.Cmd = ide.cmd, nil
	}
	pod := startContainer(t, cli, ideCfg, "none", files)
	shared := container.NetworkMode("container:" + pod)

	proxy := pod // as a service, nbproxy logs with the IDE
	if !ide.builtin {
		proxy = startContainer(t, cli, &container.Config{
			Image: ide.image, User: "1000",
			Env:        []string{"NB_PREFIX=" + prefix},
			Entrypoint: []string{"/tmp/nbproxy", "-listen", ":8888", "-backend", "127.0.0.1:8889", "-mode", string(ide.mode)},
		}, shared, files)
	}

	probe := startContainer(t, cli, &container.Config{
		Image: ide.image, User: "1000",
		Env: []string{roleEnv + "=probe", "NB_PREFIX=" + prefix, "NBPROXY_E2E_WS=" + ide.wsPath,
			"NBPROXY_E2E_ECHO=" + map[bool]string{true: "1", false: "0"}[ide.echo]},
		Entrypoint: []string{"/tmp/e2e.test"},
	}, shared, files)

	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	wait := cli.ContainerWait(waitCtx, probe, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case <-wait.Result:
	case err := <-wait.Error:
		t.Fatalf("waiting for the probe: %v", err)
	}
	stdout, stderr := logs(t, cli, probe)
	var rep probeReport
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Logf("IDE log:\n%s", joinLogs(logs(t, cli, pod)))
		t.Logf("nbproxy log:\n%s", joinLogs(logs(t, cli, proxy)))
		t.Fatalf("probe report is not JSON: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	if t.Failed() || len(rep.Errors) > 0 {
		t.Logf("IDE log:\n%s", joinLogs(logs(t, cli, pod)))
	}
	return &rep
}

// startContainer creates a container labelled as the proxy's, copies files
// into it, starts it and removes it at the end.
func startContainer(t *testing.T, cli *client.Client, cfg *container.Config, network container.NetworkMode, files []tarEntry) string {
	t.Helper()
	ctx := t.Context()
	cfg.Labels = engine.Managed("proxy")
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     cfg,
		HostConfig: &container.HostConfig{NetworkMode: network},
	})
	if err != nil {
		t.Fatalf("creating container from %s: %v", cfg.Image, err)
	}
	id := created.ID
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), id, client.ContainerRemoveOptions{Force: true})
	})
	if _, err := cli.CopyToContainer(ctx, id, client.CopyToContainerOptions{
		DestinationPath: "/", Content: tarOf(t, files),
	}); err != nil {
		t.Fatalf("copying into %s: %v", cfg.Image, err)
	}
	if _, err := cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("starting container from %s: %v", cfg.Image, err)
	}
	return id
}

// tarEntry is an executable file copied into a container.
type tarEntry struct {
	name string // relative to /
	data []byte
}

func tarOf(t *testing.T, files []tarEntry) *bytes.Buffer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.data)), ModTime: time.Now(), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func readFile(t *testing.T, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func logs(t *testing.T, cli *client.Client, id string) (stdout, stderr []byte) {
	rc, err := cli.ContainerLogs(context.Background(), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return nil, []byte(err.Error())
	}
	defer rc.Close()
	var out, errb bytes.Buffer
	stdcopy.StdCopy(&out, &errb, rc)
	return out.Bytes(), errb.Bytes()
}

func joinLogs(out, err []byte) string { return string(out) + string(err) }

// buildNBProxy builds the static binary images ship.
func buildNBProxy(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "nbproxy")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "../../cmd/nbproxy")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building nbproxy: %v\n%s", err, out)
	}
	return bin
}
