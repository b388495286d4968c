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
	c, _, err := Load(treeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range images(c) {
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

// The shared scripts under _include/ run with /bin/sh (dash in the images).
func TestSharedScriptsAreValidShell(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join(treeDir, "_include/*/*.sh"))
	if len(scripts) == 0 {
		t.Fatal("no shared scripts under images/_include")
	}
	for _, s := range scripts {
		if out, err := exec.CommandContext(t.Context(), "sh", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("%s is not valid shell: %v\n%s", s, err, out)
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
