package cli

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbkit/nbkit/internal/build"
)

// lineReporter prints one line per image state change, and every so often a
// line for each image still building, so a person watching a long build (or
// a CI log) always sees what runs and for how long.
type lineReporter struct {
	s       Streams
	start   time.Time
	mu      sync.Mutex
	running map[string]time.Time
}

func newLineReporter(s Streams) *lineReporter {
	return &lineReporter{s: s, start: time.Now(), running: map[string]time.Time{}}
}

func (r *lineReporter) Report(e build.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case e.State == build.Building:
		r.running[e.Name] = time.Now().Add(-e.Elapsed)
	case e.State.Final():
		delete(r.running, e.Name)
	}
	if e.State == build.Checking {
		return // too short-lived to be worth a line
	}
	line := fmt.Sprintf("[%7s] %-28s %-13s", clock(time.Since(r.start)), e.Name, e.State)
	if e.State.Final() && e.State != build.NotAttempted {
		line += " " + clock(e.Elapsed)
	}
	if e.Detail != "" && e.State != build.Building {
		line += "  " + e.Detail
	}
	fmt.Fprintln(r.s.Err, strings.TrimRight(line, " "))
}

// heartbeat prints the images still building every period until stopped.
func (r *lineReporter) heartbeat(period time.Duration) (stop func()) {
	done := make(chan struct{})
	t := time.NewTicker(period)
	go func() {
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.mu.Lock()
				names := make([]string, 0, len(r.running))
				for n := range r.running {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					fmt.Fprintf(r.s.Err, "[%7s] %-28s %-13s %s\n", clock(time.Since(r.start)), n, "building", clock(time.Since(r.running[n])))
				}
				r.mu.Unlock()
			}
		}
	}()
	return func() { t.Stop(); close(done) }
}

func clock(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
