package imagelint

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Most RUN steps of the vendor images cannot be executed here (no PyPI, no
// GPU vendors); bash -n at least proves each one is valid shell, which is
// what the images' SHELL ["/bin/bash", "-o", "pipefail", "-c"] will run.
func TestRunStepsAreValidBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	images, _, err := Load(treeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range images {
		ins, err := ParseDockerfile(filepath.Join(img.Dir, "Dockerfile"))
		if err != nil {
			continue // reported by TestRepositoryTree
		}
		for _, in := range ins {
			if in.Cmd != "run" || len(in.Args) == 0 || strings.HasPrefix(strings.TrimSpace(in.Args[0]), "[") {
				continue
			}
			script := strings.Join(in.Args, " ")
			cmd := exec.CommandContext(t.Context(), bash, "-n", "-c", script)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s/Dockerfile:%d: RUN is not valid bash: %v\n%s", img.Name, in.Line, err, out)
			}
		}
	}
}

func TestBashCheckCatchesBrokenShell(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	if err := exec.CommandContext(t.Context(), "bash", "-n", "-c", `case "$x" in a) echo ;; esac fi`).Run(); err == nil {
		t.Fatal("bash -n accepted a broken script; the RUN check above would prove nothing")
	}
}
