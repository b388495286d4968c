package rundir

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Prepare resets the layout for a fresh start: `docker restart` keeps the
// container's files, so a stale environment folder or exit code from the last
// run must not leak into this one. self is the nbinit binary halt links to.
func (d Dir) Prepare(self, workdir string) error {
	env := d.EnvDir()
	// Moved aside and deleted in the background: deleting a folder of files
	// on the container's disk costs milliseconds the CMD should not wait for.
	// The name must be unique: as PID 1 the pid is the same at every start.
	stale := env + ".stale-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := os.Rename(env, stale); err == nil {
		go removeStale(filepath.Dir(env))
	} else if !os.IsNotExist(err) {
		if err := os.RemoveAll(env); err != nil {
			return fmt.Errorf("clearing %s: %w", env, err)
		}
	}
	if err := os.MkdirAll(env, 0o755); err != nil {
		return fmt.Errorf("making %s: %w", env, err)
	}
	// The folder must stay readable after a service drops to another user.
	if err := os.Chmod(env, 0o755); err != nil {
		return fmt.Errorf("making %s readable: %w", env, err)
	}
	if err := os.MkdirAll(filepath.Dir(d.ExitCodeFile()), 0o755); err != nil {
		return fmt.Errorf("making %s: %w", filepath.Dir(d.ExitCodeFile()), err)
	}
	if err := os.WriteFile(d.ExitCodeFile(), []byte("0\n"), 0o644); err != nil {
		return fmt.Errorf("resetting exit code: %w", err)
	}
	if err := os.WriteFile(d.WorkdirFile(), []byte(workdir), 0o644); err != nil {
		return fmt.Errorf("recording working directory: %w", err)
	}
	halt := d.HaltLink()
	if err := os.MkdirAll(filepath.Dir(halt), 0o755); err != nil {
		return fmt.Errorf("making %s: %w", filepath.Dir(halt), err)
	}
	if target, err := os.Readlink(halt); err == nil && target == self {
		return nil // a restart: the link is already right
	}
	if err := os.Remove(halt); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("replacing %s: %w", halt, err)
	}
	if err := os.Symlink(self, halt); err != nil {
		return fmt.Errorf("linking %s: %w", halt, err)
	}
	return nil
}

// removeStale deletes environment folders of earlier runs, including any an
// earlier run did not finish deleting.
func removeStale(s6dir string) {
	entries, _ := os.ReadDir(s6dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "container_environment.stale-") {
			os.RemoveAll(filepath.Join(s6dir, e.Name()))
		}
	}
}
