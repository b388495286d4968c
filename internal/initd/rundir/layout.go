package rundir

import (
	"path/filepath"
)

// EnvVar names the runtime directory nbinit actually uses. nbinit sets it in
// the environment of everything it starts; set before start-up it is the
// preferred directory instead of /run.
const EnvVar = "NBINIT_RUNDIR"

// Default is where s6-overlay keeps its runtime state, and so where scripts
// written for it look.
const Default = "/run"

// Dir is a runtime directory such as /run.
type Dir string

// EnvDir holds one file per container environment variable.
func (d Dir) EnvDir() string { return filepath.Join(string(d), "s6", "container_environment") }

// ExitCodeFile holds the exit code the container stops with.
func (d Dir) ExitCodeFile() string {
	return filepath.Join(string(d), "s6-linux-init-container-results", "exitcode")
}

// HaltLink is the halt command s6-overlay scripts call by full path.
func (d Dir) HaltLink() string { return filepath.Join(string(d), "s6", "basedir", "bin", "halt") }

// WorkdirFile records the working directory nbinit started in, as s6-overlay does.
func (d Dir) WorkdirFile() string { return filepath.Join(string(d), "s6", "workdir") }

// ControlFifo is where halt asks nbinit to stop.
func (d Dir) ControlFifo() string { return filepath.Join(string(d), "s6", "nbinit-control") }
