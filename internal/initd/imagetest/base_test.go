package imagetest

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

const baseRef = "nbkit/base:latest"

// authorFiles are what an image author adds on top of the base image, written
// exactly as the seed teaches for s6-overlay.
var authorFiles = map[string]string{
	"etc/cont-init.d/10-hello": `#!/command/with-contenv bash
echo "cont-init: hello as uid $(id -u) gid $(id -g) prefix=${NB_PREFIX}"
# A variable a start-up script adds for the services, as s6-overlay allows.
printf 'set-by-init' > /run/s6/container_environment/FROM_INIT
`,
	"etc/services.d/svc/run": `#!/command/with-contenv bash
echo "svc: up FROM_INIT=${FROM_INIT} arg=$1 cwd=$(pwd)"
while [ ! -e /tmp/die ]; do sleep 0.1; done
echo "svc: dying with 3"
exit 3
`,
	"etc/services.d/svc/finish": `#!/command/with-contenv bash
echo "finish: args=$*"
if [ "$1" = 3 ]; then
  echo 42 > /run/s6-linux-init-container-results/exitcode
  exec /run/s6/basedir/bin/halt
fi
`,
	"etc/cont-finish.d/10-bye": `#!/bin/sh
echo "cont-finish: bye"
`,
}

func TestBaseImageInitUnderDocker(t *testing.T) {
	cli := enginetest.Client(t)
	ctx := t.Context()
	enginetest.Image(t, cli, baseRef)
	ref := buildAuthorImage(t, cli)

	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image: ref, Env: []string{"NB_PREFIX=/notebook/ns/init-test"},
			Labels: engine.Managed("test"),
		},
		HostConfig: &container.HostConfig{
			NetworkMode: "none", GroupAdd: []string{"100"},
			CapDrop: []string{"ALL"}, SecurityOpt: []string{"no-new-privileges"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), id, client.ContainerRemoveOptions{Force: true})
	})

	// docker run: cont-init before the service, the variable it added reaches the service.
	start(t, cli, id)
	logs := waitForLog(t, cli, id, "svc: up", 1)
	for _, want := range []string{
		"cont-init: hello as uid 1000 gid 0 prefix=/notebook/ns/init-test",
		"svc: up FROM_INIT=set-by-init arg=svc cwd=/etc/services.d/svc",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	if strings.Index(logs, "cont-init: hello") > strings.Index(logs, "svc: up") {
		t.Errorf("service started before cont-init finished:\n%s", logs)
	}

	// docker stop: SIGTERM ends it well inside the grace period, with 0, after cont-finish.
	began := time.Now()
	grace := 10
	if _, err := cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &grace}); err != nil {
		t.Fatal(err)
	}
	stopped := time.Since(began)
	t.Logf("docker stop took %s", stopped.Round(time.Millisecond))
	if stopped > 5*time.Second {
		t.Errorf("docker stop took %s; nbinit should not wait out any grace period for an idle container", stopped)
	}
	if code := exitCode(t, cli, id); code != 0 {
		t.Errorf("exit code after docker stop = %d, want 0", code)
	}
	if logs := readLogs(t, cli, id); !strings.Contains(logs, "cont-finish: bye") {
		t.Errorf("cont-finish did not run on stop:\n%s", logs)
	}

	// docker restart: the same stages again, from a clean state.
	start(t, cli, id)
	waitForLog(t, cli, id, "svc: up", 2)
	if n := strings.Count(readLogs(t, cli, id), "cont-init: hello"); n != 2 {
		t.Errorf("cont-init ran %d times after a restart, want 2", n)
	}

	// The service dies; its finish script stops the container with code 42.
	exec(t, cli, id, "touch", "/tmp/die")
	waitExit(t, cli, id, 20*time.Second)
	if code := exitCode(t, cli, id); code != 42 {
		t.Errorf("exit code after finish halted with 42 = %d\n%s", code, readLogs(t, cli, id))
	}
	logs = readLogs(t, cli, id)
	if !strings.Contains(logs, "finish: args=3 0 svc ") {
		t.Errorf("finish did not get `3 0 svc PGID`:\n%s", logs)
	}
}

func buildAuthorImage(t *testing.T, cli *client.Client) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name, body string, mode int64) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	add("Dockerfile", "FROM "+baseRef+"\nCOPY --chown=1000:0 rootfs/ /\n", 0o644)
	for name, body := range authorFiles {
		add("rootfs/"+name, body, 0o755)
	}
	tw.Close()
	ref := "nbkit-test/init-author:latest"
	res, err := cli.ImageBuild(t.Context(), &buf, client.ImageBuildOptions{
		Tags: []string{ref}, NetworkMode: "none", Remove: true, ForceRemove: true,
		Labels: engine.Managed("test"), Version: build.BuilderV1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := engine.ReadMessages(res.Body); err != nil {
		t.Fatalf("building the author image: %v", err)
	}
	t.Cleanup(func() {
		cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true})
	})
	return ref
}

func start(t *testing.T, cli *client.Client, id string) {
	t.Helper()
	if _, err := cli.ContainerStart(t.Context(), id, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
}

func readLogs(t *testing.T, cli *client.Client, id string) string {
	t.Helper()
	rc, err := cli.ContainerLogs(t.Context(), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var out bytes.Buffer
	stdcopy.StdCopy(&out, &out, rc)
	return out.String()
}

// waitForLog waits until text appears n times in the container's logs.
func waitForLog(t *testing.T, cli *client.Client, id, text string, n int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		logs := readLogs(t, cli, id)
		if strings.Count(logs, text) >= n {
			return logs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q did not appear %d times within 30 s:\n%s", text, n, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func exec(t *testing.T, cli *client.Client, id string, cmd ...string) {
	t.Helper()
	ex, err := cli.ExecCreate(t.Context(), id, client.ExecCreateOptions{Cmd: cmd})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ExecStart(t.Context(), ex.ID, client.ExecStartOptions{}); err != nil {
		t.Fatal(err)
	}
}

func waitExit(t *testing.T, cli *client.Client, id string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		res, err := cli.ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Container.State.Running {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("container still running after %s", limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func exitCode(t *testing.T, cli *client.Client, id string) int {
	t.Helper()
	res, err := cli.ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Container.State.Running {
		t.Fatal(fmt.Errorf("container %.12s still running", id))
	}
	return res.Container.State.ExitCode
}
