package build

import "time"

// State is where one image stands in a run.
type State string

const (
	Waiting      State = "waiting"       // for its parent
	Checking     State = "checking"      // hashing inputs, looking for an up-to-date image
	Building     State = "building"      //
	Built        State = "built"         //
	Skipped      State = "skipped"       // inputs unchanged, existing image kept
	Failed       State = "failed"        //
	NotAttempted State = "not-attempted" // an ancestor failed
	WouldBuild   State = "would-build"   // --dry-run
	WouldSkip    State = "would-skip"    // --dry-run
)

// Final reports whether the state ends an image's run.
func (s State) Final() bool {
	switch s {
	case Built, Skipped, Failed, NotAttempted, WouldBuild, WouldSkip:
		return true
	}
	return false
}

// Event is one state change, for progress display.
type Event struct {
	Name    string
	State   State
	Elapsed time.Duration // since the image left Waiting
	Detail  string        // the reference, the reason, or the error
}

// Reporter receives events from concurrent builds; implementations must be
// safe for concurrent use.
type Reporter interface {
	Report(Event)
}

// Outcome is the end result for one image.
type Outcome struct {
	Name    string
	State   State
	Elapsed time.Duration
	Ref     string // <prefix>/<name>:<short hash>, what children are built from
	ImageID string
	Hash    string
	Log     string // the build log file, when a build ran
	Err     error
	LogTail string // last lines of the log on failure
}

// Summary is the result of a run, in plan order.
type Summary struct {
	Outcomes []Outcome
	Elapsed  time.Duration
}

// Count returns how many images ended in state s.
func (s Summary) Count(st State) int {
	n := 0
	for _, o := range s.Outcomes {
		if o.State == st {
			n++
		}
	}
	return n
}
