package initd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/helpers"
	"github.com/nbkit/nbkit/internal/initd/stages"
)

// Main runs nbinit as whatever args[0] names and returns the exit code.
func Main(ctx context.Context, args []string, environ []string, stdio stages.Stdio) int {
	name := filepath.Base(args[0])
	if h, ok := helpers.Table[name]; ok {
		return h(&helpers.Call{Args: args[1:], Env: contenv.Env(environ), Stdout: stdio.Out, Stderr: stdio.Err})
	}
	if len(args) > 1 {
		switch args[1] {
		case "install-links":
			return installLinks(args[2:], stdio)
		case "-h", "--help":
			fmt.Fprint(stdio.Out, usage)
			return 0
		}
	}
	return stages.Run(ctx, args[1:], environ, stdio)
}

// IsHelper reports whether name is one of the multi-call names.
func IsHelper(name string) bool {
	_, ok := helpers.Table[filepath.Base(name)]
	return ok
}

// self is the path links point to: the real binary, not a link to it.
func self() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(p)
}

const usage = `nbinit: the init of nbkit images, a drop-in for s6-overlay v3 (see docs/nbinit.md)

  /init [CMD...]                 run cont-init.d, supervise services.d, run CMD, stop cleanly
  nbinit install-links DIR...    link the helpers into DIR (for example /command /usr/bin)

Started through a link of that name, it is one of the helpers:
  with-contenv, s6-setuidgid, s6-envuidgid, s6-applyuidgid, s6-envdir, printcontenv, halt
`
