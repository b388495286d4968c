package hack

import (
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// TestPruneRemovesOnlyItsOwnRun gives the engine a user's notebook volume
// (what `nbkit run` leaves, labelled managed=run with no run id), another
// run's volume and this run's volume: prune.sh with this run's id removes
// only the last.
func TestPruneRemovesOnlyItsOwnRun(t *testing.T) {
	cli := enginetest.Client(t)
	ctx := t.Context()
	mine, other := "prune-test-mine-"+rand8(), "prune-test-other-"+rand8()
	vols := map[string]map[string]string{
		"nbkit-user-notebook-home-" + rand8(): {engine.LabelManaged: "run", "dev.nbkit.notebook.name": "demo"},
		"nbkit-other-run-" + rand8():          {engine.LabelManaged: "check", engine.LabelRunID: other},
		"nbkit-this-run-" + rand8():           {engine.LabelManaged: "check", engine.LabelRunID: mine},
	}
	for name, labels := range vols {
		if _, err := cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: name, Labels: labels}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cli.VolumeRemove(context.Background(), name, client.VolumeRemoveOptions{Force: true}) })
	}

	out, err := exec.CommandContext(ctx, "bash", "prune.sh", mine).CombinedOutput()
	if err != nil {
		t.Fatalf("prune.sh: %v\n%s", err, out)
	}
	for name, labels := range vols {
		_, err := cli.VolumeInspect(ctx, name, client.VolumeInspectOptions{})
		kept := err == nil
		if want := labels[engine.LabelRunID] != mine; kept != want {
			t.Errorf("volume %s (labels %v): kept=%v, want %v", name, labels, kept, want)
		}
	}
}

func TestPruneRefusesWithoutRunID(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), "bash", "prune.sh")
	cmd.Env = append(os.Environ(), engine.RunIDEnv+"=")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("prune.sh without a run id: %v, want exit 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "run id") {
		t.Errorf("message does not say what is missing: %s", out)
	}
}

func rand8() string { return strings.ToLower(rand.Text()[:8]) }
