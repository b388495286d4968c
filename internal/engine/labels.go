package engine

import (
	"os"
	"regexp"
)

// Labels put on everything nbkit creates in an engine, so that it can find and
// remove its own objects and never touch anyone else's.
const (
	// LabelManaged marks an object as created by nbkit; its value names the part
	// that created it ("check", "run", "build", "relay").
	LabelManaged = "dev.nbkit.managed"
	// LabelSession ties the objects of one nbkit invocation together.
	LabelSession = "dev.nbkit.session"
	// LabelRunID ties an object to the test run (or CI job) that created it:
	// see RunIDEnv.
	LabelRunID = "dev.nbkit.run-id"
)

// RunIDEnv names the environment variable that, when set, adds LabelRunID
// with its value to every container, volume and helper image nbkit creates.
// `make test` sets a fresh one per run, so that its clean-up removes exactly
// what that run created and never a notebook or home volume of the user's
// own `nbkit run` (which carry the same managed label).
const RunIDEnv = "NBKIT_RUN_ID"

var runIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`)

// RunID returns the run id from the environment, or "" when none is set or
// it is not a valid label value.
func RunID() string {
	id := os.Getenv(RunIDEnv)
	if !runIDPattern.MatchString(id) {
		return ""
	}
	return id
}

// Managed returns the labels of an object that part of nbkit creates: the
// managed label and, under a run id, the run id label.
func Managed(part string) map[string]string {
	l := map[string]string{LabelManaged: part}
	if id := RunID(); id != "" {
		l[LabelRunID] = id
	}
	return l
}

// ManagedChanges is Managed as Dockerfile LABEL instructions, for images
// nbkit imports itself.
func ManagedChanges(part string) []string {
	var out []string
	for k, v := range Managed(part) {
		out = append(out, "LABEL "+k+"="+v)
	}
	return out
}
