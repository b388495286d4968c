package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// One engine-backed story, in steps that depend on each other's images:
// cold build in order, no-op rebuild, leaf-only rebuild, dry run, failure.
func TestRunOnEngine(t *testing.T) {
	cli := enginetest.Client(t)
	c, prefix := fixture(t, cli)

	t.Run("cold build parents first", func(t *testing.T) {
		o, rec := options(t, cli, c, prefix, "leaf")
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatalf("Run: %v\n%s", err, sum.Outcomes)
		}
		wantStates(t, sum, map[string]State{"root": Built, "mid": Built, "leaf": Built})
		for _, pair := range [][2]string{{"root", "mid"}, {"mid", "leaf"}} {
			if rec.index(pair[0], Built) > rec.index(pair[1], Building) {
				t.Errorf("%s started building before %s was built", pair[1], pair[0])
			}
		}
		byName := map[string]Outcome{}
		for _, o := range sum.Outcomes {
			byName[o.Name] = o
		}
		ins, err := cli.ImageInspect(t.Context(), prefix+"/leaf:latest")
		if err != nil {
			t.Fatal(err)
		}
		l := ins.Config.Labels
		for k, want := range map[string]string{
			LabelInputsHash: byName["leaf"].Hash, LabelParent: byName["mid"].ImageID,
			LabelIDE: "jupyterlab", LabelServerType: "jupyter",
			"org.opencontainers.image.title": "leaf", "dev.nbkit.managed": "build",
		} {
			if l[k] != want {
				t.Errorf("label %s = %q, want %q", k, l[k], want)
			}
		}
		if ins.ID != byName["leaf"].ImageID || !strings.HasPrefix(byName["leaf"].Ref, prefix+"/leaf:") {
			t.Errorf("leaf ID %s ref %s, inspect says %s", byName["leaf"].ImageID, byName["leaf"].Ref, ins.ID)
		}
		if b, _ := os.ReadFile(filepath.Join(o.LogDir, "root.log")); !strings.Contains(string(b), "fakeinit") {
			t.Errorf("root.log lacks the fake init's output:\n%s", b)
		}
	})

	t.Run("no-op rebuild skips everything", func(t *testing.T) {
		o, _ := options(t, cli, c, prefix, "leaf")
		start := time.Now()
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("no-op rebuild of 3 images: %v", time.Since(start))
		wantStates(t, sum, map[string]State{"root": Skipped, "mid": Skipped, "leaf": Skipped})
	})

	t.Run("touching the leaf rebuilds only the leaf", func(t *testing.T) {
		before, err := cli.ImageInspect(t.Context(), prefix+"/leaf:latest")
		if err != nil {
			t.Fatal(err)
		}
		touch(t, filepath.Join(c.Get("leaf").Dir, "leaf.txt"), "leaf v2\n")
		o, _ := options(t, cli, c, prefix, "leaf")
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		wantStates(t, sum, map[string]State{"root": Skipped, "mid": Skipped, "leaf": Built})
		// The superseded leaf had only its hash tag left: it is gone, not left to pile up.
		if _, err := cli.ImageInspect(t.Context(), before.ID); err == nil {
			t.Errorf("the superseded leaf %s (%v) is still in the engine", before.ID, before.RepoTags)
		}
	})

	t.Run("editing an included folder rebuilds its includers only", func(t *testing.T) {
		touch(t, filepath.Join(c.Dir, "_include/greeting/hello.txt"), "hello v2\n")
		o, _ := options(t, cli, c, prefix, "leaf")
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		// root and mid do not include greeting; leaf does.
		wantStates(t, sum, map[string]State{"root": Skipped, "mid": Skipped, "leaf": Built})
		if b, _ := os.ReadFile(filepath.Join(o.LogDir, "leaf.log")); !strings.Contains(string(b), "hello v2") {
			t.Errorf("leaf.log lacks the edited included file's content:\n%s", b)
		}
	})

	t.Run("dry run after touching mid", func(t *testing.T) {
		touch(t, filepath.Join(c.Get("mid").Dir, "note.txt"), "changed\n")
		o, _ := options(t, cli, c, prefix, "leaf")
		o.DryRun = true
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		wantStates(t, sum, map[string]State{"root": WouldSkip, "mid": WouldBuild, "leaf": WouldBuild})
		os.Remove(filepath.Join(c.Get("mid").Dir, "note.txt"))
	})

	t.Run("a failure stops its descendants only", func(t *testing.T) {
		touch(t, filepath.Join(c.Get("leaf").Dir, "leaf.txt"), "leaf v3\n")
		o, rec := options(t, cli, c, prefix, "leaf", "broken-child")
		sum, err := Run(t.Context(), o)
		if n := rec.finals("root"); n != 1 {
			t.Errorf("root, parent of two branches, finished %d times, want once", n)
		}
		if err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("Run error = %v, want broken failed", err)
		}
		wantStates(t, sum, map[string]State{"root": Skipped, "mid": Skipped, "leaf": Built, "broken": Failed, "broken-child": NotAttempted})
		for _, out := range sum.Outcomes {
			if out.Name == "broken" && !strings.Contains(out.LogTail, "this step fails on purpose") {
				t.Errorf("log tail of broken lacks the failing step's output:\n%s", out.LogTail)
			}
		}
	})

	t.Run("the OS base counts by image ID, not by name", func(t *testing.T) {
		alias := prefix + "/os:base"
		if _, err := cli.ImageTag(t.Context(), client.ImageTagOptions{Source: "debian:trixie-slim", Target: alias}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cli.ImageRemove(context.WithoutCancel(t.Context()), alias, client.ImageRemoveOptions{})
		})
		o, _ := options(t, cli, c, prefix, "leaf")
		o.OSBase = alias
		sum, err := Run(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		wantStates(t, sum, map[string]State{"root": Skipped, "mid": Skipped, "leaf": Skipped})

		o.OSBase = prefix + "/os:missing"
		sum, err = Run(t.Context(), o)
		if err == nil || !strings.Contains(sum.Outcomes[0].Err.Error(), "nbkit bootstrap") {
			t.Fatalf("Run with a missing OS base: %v / %v", err, sum.Outcomes[0].Err)
		}
		wantStates(t, sum, map[string]State{"root": Failed, "mid": NotAttempted, "leaf": NotAttempted})
	})

	t.Run("without the CA bundle the secret step fails", func(t *testing.T) {
		touch(t, filepath.Join(c.Get("root").Dir, "rootfs/etc/nbkit-fixture"), prefix+" no CA\n")
		o, _ := options(t, cli, c, prefix, "root")
		o.Secrets = nil
		sum, err := Run(t.Context(), o)
		if err == nil {
			t.Fatal("root built without the CA secret its RUN step requires")
		}
		wantStates(t, sum, map[string]State{"root": Failed})
	})
}
