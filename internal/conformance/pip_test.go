package conformance

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPipProbeScript runs the probe with a real interpreter: a venv over the
// system site-packages, as nbkit images have at /opt/venv (pip installs
// there), the same with PIP_USER forced, and as a user who cannot write the
// venv (pip would fall back to ~/.local, on the PVC).
func TestPipProbeScript(t *testing.T) {
	if testing.Short() {
		t.Skip("creates a venv; skipped in -short mode")
	}
	if err := exec.Command(hostPython, "-c", "import venv, pip").Run(); err != nil {
		t.Skipf("skipping: %s has no venv or pip (apt-get install python3-venv python3-pip): %v", hostPython, err)
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // readable by the unprivileged user below
	os.Chmod(dir, 0o755)
	venv := filepath.Join(dir, "venv")
	if out, err := exec.Command(hostPython, "-m", "venv", "--without-pip", "--system-site-packages", venv).CombinedOutput(); err != nil {
		t.Fatalf("creating a venv: %v\n%s", err, out)
	}
	python := filepath.Join(venv, "bin", "python3")
	home := t.TempDir()
	os.Chmod(home, 0o777)
	probe := func(cred *syscall.Credential, env ...string) Outcome {
		cmd := exec.Command(python, "-c", pipProbeScript)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Env = append([]string{"PATH=" + filepath.Join(venv, "bin") + ":/usr/bin:/bin", "HOME=" + home, "PIP_CONFIG_FILE=/dev/null"}, env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("probe failed: %v", err)
		}
		return judgePip(out, home)
	}
	if o := probe(nil); o.verdict != vPass || !strings.Contains(o.Message, venv) {
		t.Errorf("venv: %d %q, want pass naming %s", o.verdict, o.Message, venv)
	}
	if o := probe(nil, "PIP_USER=1"); o.verdict != vViolation || !strings.Contains(o.Message, "PIP_USER=1") {
		t.Errorf("PIP_USER=1: %d %q, want a violation", o.verdict, o.Message)
	}
	// Another user than the venv's owner: site-packages is not writable.
	var other *syscall.Credential
	if os.Geteuid() == 0 {
		other = &syscall.Credential{Uid: 65534, Gid: 65534}
	} else {
		site, _ := filepath.Glob(filepath.Join(venv, "lib", "python3*", "site-packages"))
		os.Chmod(site[0], 0o555)
		defer os.Chmod(site[0], 0o755)
	}
	if o := probe(other); o.verdict != vViolation || !strings.Contains(o.Message, "not writable") {
		t.Errorf("unwritable site-packages: %d %q, want a violation", o.verdict, o.Message)
	}
}
