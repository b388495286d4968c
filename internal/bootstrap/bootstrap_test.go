package bootstrap

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
	"github.com/nbkit/nbkit/internal/manifest"
)

func needMmdebstrap(t *testing.T) {
	if _, err := exec.LookPath("mmdebstrap"); err != nil {
		if enginetest.InCI() {
			t.Fatal("CI must provide mmdebstrap (hack/deps.sh)")
		}
		t.Skip("mmdebstrap not installed")
	}
}

func throwawayRef(t *testing.T, cli *client.Client) string {
	b := make([]byte, 4)
	rand.Read(b)
	ref := "nbkit-test-bootstrap/debian:" + hex.EncodeToString(b)
	t.Cleanup(func() {
		cli.ImageRemove(context.WithoutCancel(t.Context()), ref, client.ImageRemoveOptions{Force: true})
	})
	return ref
}

// A real bootstrap from the Debian mirror into a throwaway tag: the image
// must be a working Debian whose dpkg database lists the minbase packages.
func TestBootstrapFromMirror(t *testing.T) {
	cli := enginetest.Client(t)
	needMmdebstrap(t)
	ref := throwawayRef(t, cli)
	var log bytes.Buffer
	start := time.Now()
	res, err := Run(t.Context(), cli, Options{Ref: ref, Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	t.Logf("bootstrap took %v", time.Since(start))
	if !res.Created || !strings.Contains(log.String(), "I: ") {
		t.Errorf("created %v, progress:\n%s", res.Created, log.String())
	}
	ins, err := cli.ImageInspect(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if ins.ID != res.ImageID || ins.Architecture != runtime.GOARCH || ins.Config.Labels["dev.nbkit.managed"] != "build" {
		t.Errorf("inspect: id %s (want %s) arch %s labels %v", ins.ID, res.ImageID, ins.Architecture, ins.Config.Labels)
	}
	m, err := manifest.Collect(t.Context(), cli, "debian", ref)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, p := range m.Debian {
		found[p.Name] = true
	}
	for _, want := range []string{"base-files", "dpkg", "apt", "bash"} {
		if !found[want] {
			t.Errorf("package %s missing from the bootstrapped image (%d packages)", want, len(m.Debian))
		}
	}

	again, err := Run(t.Context(), cli, Options{Ref: ref})
	if err != nil || again.Created || again.ImageID != res.ImageID {
		t.Errorf("second run = %+v, %v; want the existing image kept", again, err)
	}
}

func TestBootstrapUnreachableMirror(t *testing.T) {
	cli := enginetest.Client(t)
	needMmdebstrap(t)
	ref := throwawayRef(t, cli)
	_, err := Run(t.Context(), cli, Options{Ref: ref, Mirror: "http://127.0.0.1:9/debian"})
	if err == nil || !strings.Contains(err.Error(), "mmdebstrap") {
		t.Fatalf("Run = %v, want an mmdebstrap failure", err)
	}
	if _, err := cli.ImageInspect(t.Context(), ref); err == nil {
		t.Errorf("%s exists after a failed bootstrap", ref)
	}
}
