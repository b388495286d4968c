package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// The command end to end on the build package's fixture catalog: the summary,
// the progress lines, the log and manifest files, then a no-op run.
func TestBuildCommand(t *testing.T) {
	cli := enginetest.Client(t)
	b := make([]byte, 4)
	rand.Read(b)
	prefix := "nbkit-clitest-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.WithoutCancel(t.Context())
		for _, n := range []string{"leaf", "mid", "root"} {
			for _, tag := range tagsOf(t, cli, prefix+"/"+n) {
				cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{Force: true})
			}
		}
	})
	out := t.TempDir()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, []byte("FIXTURE-CA\n"), 0o644)
	wd, _ := os.Getwd()
	images, _ := filepath.Abs("../build/testdata/fixture")
	t.Chdir(filepath.Join(wd, "../.."))
	run := func() (string, string) {
		var so, se bytes.Buffer
		code := Main(t.Context(), []string{"build", "--images", images, "--prefix", prefix, "--out", out,
			"--nbinit", "./internal/build/testdata/fakeinit", "--ca-bundle", ca, "leaf"}, Streams{Out: &so, Err: &se})
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, so.String(), se.String())
		}
		return so.String(), se.String()
	}
	so, se := run()
	for _, want := range []string{"3 built, 0 skipped, 0 failed, 0 not attempted"} {
		if !strings.Contains(so, want) {
			t.Errorf("summary lacks %q:\n%s", want, so)
		}
	}
	for _, n := range []string{"root", "mid", "leaf"} {
		if !strings.Contains(se, " "+n) || !strings.Contains(se, "built") {
			t.Errorf("progress lacks %s:\n%s", n, se)
		}
		for _, f := range []string{"logs/" + n + ".log", "manifests/" + n + ".json", "manifests/" + n + ".md"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	so, _ = run()
	if !strings.Contains(so, "0 built, 3 skipped") {
		t.Errorf("second run did not skip:\n%s", so)
	}
}

func tagsOf(t *testing.T, cli *client.Client, repo string) []string {
	list, err := cli.ImageList(context.WithoutCancel(t.Context()), client.ImageListOptions{Filters: make(client.Filters).Add("reference", repo)})
	if err != nil {
		return nil
	}
	var tags []string
	for _, img := range list.Items {
		tags = append(tags, img.RepoTags...)
	}
	return tags
}
