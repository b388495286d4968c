package initd

import (
	"context"
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
	if len(args) > 1 && args[1] == "install-links" {
		return installLinks(args[2:], stdio)
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
