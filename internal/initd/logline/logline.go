package logline

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Levels follow S6_VERBOSITY: 0 prints only errors, 2 is the default.
const (
	Error = 0
	Warn  = 1
	Info  = 2
	Step  = 3 // each script and service start/stop
	Trace = 4 // pids, signals, exit statuses
	Debug = 5 // every reaped orphan
)

// Logger is shared by all goroutines of nbinit; a line is written with one
// Write so lines from services and stages never interleave mid-line.
type Logger struct {
	mu        sync.Mutex
	w         io.Writer
	verbosity int
}

// New returns a Logger printing lines up to verbosity to w.
func New(w io.Writer, verbosity int) *Logger {
	return &Logger{w: w, verbosity: verbosity}
}

// Enabled reports whether lines at level are printed.
func (l *Logger) Enabled(level int) bool { return l != nil && level <= l.verbosity }

// Logf prints "nbinit: stage[/name]: message" when level is enabled. Errors
// and warnings carry their severity in the line so they stand out.
func (l *Logger) Logf(level int, stage, name, format string, args ...any) {
	if l == nil || (level > l.verbosity && level != Error) {
		return
	}
	var b strings.Builder
	b.WriteString("nbinit: ")
	b.WriteString(stage)
	if name != "" {
		b.WriteString("/")
		b.WriteString(name)
	}
	b.WriteString(": ")
	switch level {
	case Error:
		b.WriteString("error: ")
	case Warn:
		b.WriteString("warning: ")
	}
	fmt.Fprintf(&b, format, args...)
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteByte('\n')
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, b.String())
}

// Stage returns a logger bound to one stage and name, the form most callers use.
func (l *Logger) Stage(stage, name string) Scoped { return Scoped{l: l, stage: stage, name: name} }

// Scoped is a Logger with its stage and name filled in.
type Scoped struct {
	l           *Logger
	stage, name string
}

func (s Scoped) Errorf(format string, args ...any) { s.l.Logf(Error, s.stage, s.name, format, args...) }
func (s Scoped) Warnf(format string, args ...any)  { s.l.Logf(Warn, s.stage, s.name, format, args...) }
func (s Scoped) Infof(format string, args ...any)  { s.l.Logf(Info, s.stage, s.name, format, args...) }
func (s Scoped) Stepf(format string, args ...any)  { s.l.Logf(Step, s.stage, s.name, format, args...) }
func (s Scoped) Tracef(format string, args ...any) { s.l.Logf(Trace, s.stage, s.name, format, args...) }
func (s Scoped) Debugf(format string, args ...any) { s.l.Logf(Debug, s.stage, s.name, format, args...) }
