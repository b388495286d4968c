package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestChooseFallsBackWhenPreferredIsUnusable(t *testing.T) {
	tmp := t.TempDir()
	// Nobody, not even root, can make folders in /proc.
	d, fellBack, err := Choose("/proc/nbinit-test", tmp)
	if err != nil {
		t.Fatal(err)
	}
	if !fellBack || string(d) != Fallback(tmp) {
		t.Errorf("Choose = %s (fell back %v), want %s", d, fellBack, Fallback(tmp))
	}
	if fi, err := os.Stat(string(d)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("private dir mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	d2, fellBack, err := Choose(filepath.Join(tmp, "run"), tmp)
	if err != nil || fellBack || string(d2) != filepath.Join(tmp, "run") {
		t.Errorf("writable preferred dir: %s %v %v", d2, fellBack, err)
	}
}

func TestPrepareResetsAnEarlierRun(t *testing.T) {
	d := Dir(t.TempDir())
	if err := d.Prepare("/bin/true", "/work"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.EnvDir(), "OLD"), []byte("x"), 0o644)
	os.WriteFile(d.ExitCodeFile(), []byte("3\n"), 0o644)
	if err := d.Prepare("/bin/false", "/work2"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d.EnvDir(), "OLD")); err == nil {
		t.Errorf("the earlier run's variable survived")
	}
	if b, _ := os.ReadFile(d.ExitCodeFile()); string(b) != "0\n" {
		t.Errorf("exit code %q, want it reset to 0", b)
	}
	if target, _ := os.Readlink(d.HaltLink()); target != "/bin/false" {
		t.Errorf("halt link -> %q, want /bin/false", target)
	}
	if b, _ := os.ReadFile(d.WorkdirFile()); string(b) != "/work2" {
		t.Errorf("workdir %q", b)
	}
	// The earlier folder is deleted in the background.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(filepath.Dir(d.EnvDir()))
		stale := false
		for _, e := range entries {
			stale = stale || strings.Contains(e.Name(), ".stale-")
		}
		if !stale {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("stale environment folder never removed")
}

func TestHaltReachesListener(t *testing.T) {
	d := Dir(t.TempDir())
	if err := d.Prepare("/bin/true", "/"); err != nil {
		t.Fatal(err)
	}
	if err := d.Halt(); err == nil || !strings.Contains(err.Error(), "nbinit is not running") {
		t.Errorf("Halt without a listener: %v", err)
	}
	got := make(chan struct{}, 1)
	if err := d.Listen(t.Context(), func() { got <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	if err := d.Halt(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("halt never reached the listener")
	}
}
