package kubeflow

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// A home prepared for the pod looks to the image's user as a fresh PVC with
// fsGroup 100 does: root:100, mode 2775, the given files in it, and the user
// (uid 1000, group 100 added) can create files that inherit group 100.
func TestPrepareHomeOnEngine(t *testing.T) {
	cli := enginetest.Client(t)
	ctx := t.Context()
	img := enginetest.Image(t, cli, "nbkit/base:latest")
	vol := "nbkit-kubeflow-test-" + strings.ToLower(rand8())
	if _, err := cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: vol, Labels: engine.Managed("test")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.VolumeRemove(context.Background(), vol, client.VolumeRemoveOptions{Force: true}) })

	cfg, hc := Pod{Image: img, Prefix: "/p", Volume: vol, Security: Restricted, Labels: engine.Managed("test")}.Container()
	cfg.Entrypoint = []string{"sh", "-c", `touch ~/new && stat -c '%u:%g %a %n' ~ ~/given ~/new && id -u`}
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: hc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), created.ID, client.ContainerRemoveOptions{Force: true})
	})
	if err := PrepareHome(ctx, cli, created.ID, HomeFile{Name: "given", Mode: 0o644, Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	wait := cli.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{})
	select {
	case err := <-wait.Error:
		t.Fatal(err)
	case <-wait.Result:
	}
	logs, err := cli.ContainerLogs(ctx, created.ID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	stdcopy.StdCopy(&out, &out, logs)
	logs.Close()
	want := "0:100 2775 /home/jovyan\n0:100 644 /home/jovyan/given\n1000:100 644 /home/jovyan/new\n1000\n"
	if out.String() != want {
		t.Errorf("home as the image's user sees it:\n%s\nwant:\n%s", out.String(), want)
	}
}

func rand8() string { return rand.Text()[:8] }
