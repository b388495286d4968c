package conformance

import (
	"fmt"
	"time"
)

// Status is the result of one check on one image.
type Status string

const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"  // violated at level fail
	StatusWarn  Status = "warn"  // violated at level warn, or an advisory
	StatusInfo  Status = "info"  // violated at level info
	StatusSkip  Status = "skip"  // not applicable, or a check it needs failed
	StatusError Status = "error" // the check itself could not run
)

// verdict is what a check function decides, before the profile's level
// turns a violation into fail, warn or info.
type verdict int

const (
	vPass verdict = iota
	vViolation
	vAdvisory // a lesser problem: warn at most, never fail
	vSkip     // not evaluated: something it needs is missing; blocks dependents
	vNA       // not applicable to this image; does not block dependents
	vError
)

// Outcome is a check function's answer: the verdict, a message for the image
// author (what was seen, what to change) and measurements for reports.
type Outcome struct {
	verdict verdict
	// local marks a violation that leaves the server usable for the checks
	// that need this one (they still run and judge their own rule).
	local   bool
	Message string
	Data    map[string]string
}

func pass(format string, a ...any) Outcome {
	return Outcome{verdict: vPass, Message: fmt.Sprintf(format, a...)}
}
func violation(format string, a ...any) Outcome {
	return Outcome{verdict: vViolation, Message: fmt.Sprintf(format, a...)}
}
func advisory(format string, a ...any) Outcome {
	return Outcome{verdict: vAdvisory, Message: fmt.Sprintf(format, a...)}
}
func skip(format string, a ...any) Outcome {
	return Outcome{verdict: vSkip, Message: fmt.Sprintf(format, a...)}
}
func notApplicable(format string, a ...any) Outcome {
	return Outcome{verdict: vNA, Message: fmt.Sprintf(format, a...)}
}
func broken(err error) Outcome { return Outcome{verdict: vError, Message: err.Error()} }

// blocking reports whether o keeps the checks that need it from running.
func (o Outcome) blocking() bool {
	switch o.verdict {
	case vViolation:
		return !o.local
	case vError, vSkip:
		return true
	}
	return false
}

// with adds a measurement to o.
func (o Outcome) with(key, value string) Outcome {
	if o.Data == nil {
		o.Data = map[string]string{}
	}
	o.Data[key] = value
	return o
}

// Result is one check's line in a report.
type Result struct {
	ID       ID                `json:"id"`
	Level    Level             `json:"level"`
	Status   Status            `json:"status"`
	Duration time.Duration     `json:"-"`
	Message  string            `json:"message"`
	Data     map[string]string `json:"data,omitempty"`
	// blocks is true when the checks that need this one cannot be judged:
	// it was violated, could not run, or was itself not evaluated. Passes,
	// advisories and not-applicable skips do not block.
	blocks bool
}

// status turns o into a Status at level l.
func (o Outcome) status(l Level) Status {
	switch o.verdict {
	case vPass:
		return StatusPass
	case vSkip, vNA:
		return StatusSkip
	case vError:
		return StatusError
	case vAdvisory:
		if l == LevelInfo {
			return StatusInfo
		}
		return StatusWarn
	}
	switch l {
	case LevelFail:
		return StatusFail
	case LevelWarn:
		return StatusWarn
	}
	return StatusInfo
}

// Report is the outcome of checking one image.
type Report struct {
	Image    string        `json:"image"`
	Driver   string        `json:"driver"`
	Profile  string        `json:"profile"`
	IDE      string        `json:"ide,omitempty"`
	Duration time.Duration `json:"-"`
	// Err is set when the image could not be checked at all (image missing,
	// engine gone); Results then holds whatever ran before.
	Err     error    `json:"-"`
	Results []Result `json:"results"`
}

// Failed reports whether a fail-level check failed.
func (r Report) Failed() bool {
	for _, res := range r.Results {
		if res.Status == StatusFail {
			return true
		}
	}
	return false
}

// Broken reports whether the check could not run completely.
func (r Report) Broken() bool {
	if r.Err != nil {
		return true
	}
	for _, res := range r.Results {
		if res.Status == StatusError {
			return true
		}
	}
	return false
}

// Result returns the result of id, if it ran.
func (r Report) Result(id ID) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// Counts tallies results by status.
func (r Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, res := range r.Results {
		c[res.Status]++
	}
	return c
}

// ExitCode is nbkit check's exit status for reports: 2 when any image could
// not be checked, else 1 when any fail-level check failed, else 0.
func ExitCode(reports []Report) int {
	code := 0
	for _, r := range reports {
		if r.Broken() {
			return 2
		}
		if r.Failed() {
			code = 1
		}
	}
	return code
}
