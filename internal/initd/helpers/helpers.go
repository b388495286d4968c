package helpers

import (
	"fmt"
	"io"
	"syscall"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/execdiag"
)

// Exit codes of skarnet's tools, kept so scripts testing them still work.
const (
	exitUsage   = 100
	exitSystem  = 111
	exitUnknown = 1
)

// Call is one helper invocation.
type Call struct {
	Args   []string // without the program name
	Env    contenv.Env
	Stdout io.Writer
	Stderr io.Writer
}

// Func is a helper; it returns an exit code only when it did not exec.
type Func func(c *Call) int

// Table maps program names to helpers.
var Table = map[string]Func{
	"with-contenv":   WithContenv,
	"s6-setuidgid":   SetUIDGID,
	"s6-envuidgid":   EnvUIDGID,
	"s6-applyuidgid": ApplyUIDGID,
	"s6-envdir":      EnvDir,
	"printcontenv":   PrintContenv,
	"halt":           Halt,
}

func (c *Call) errorf(name, format string, args ...any) {
	fmt.Fprintf(c.Stderr, name+": "+format+"\n", args...)
}

// execProg looks argv[0] up in env's PATH and execs it with env; on failure
// it explains why and returns 126 or 127 like a shell.
func (c *Call) execProg(name string, argv []string, env contenv.Env) int {
	if len(argv) == 0 {
		c.errorf(name, "usage: %s ... PROG [ARGS...]: no program given", name)
		return exitUsage
	}
	path, _ := env.Get("PATH")
	p, err := execdiag.LookPath(argv[0], path)
	if err == nil {
		err = syscall.Exec(p, argv, env) // returns only on failure
	}
	if p == "" {
		p = argv[0]
	}
	c.errorf(name, "cannot run %s: %s", argv[0], execdiag.Explain(p, err))
	return execdiag.Code(err)
}
