// Command nbinit is the init system of nbkit images (/init), a drop-in for
// s6-overlay v3, and — through links of those names — with-contenv,
// s6-setuidgid, s6-envuidgid, s6-applyuidgid, s6-envdir, printcontenv and halt.
// See docs/nbinit.md.
package main

import (
	"context"
	"os"

	"github.com/nbkit/nbkit/internal/initd"
	"github.com/nbkit/nbkit/internal/initd/stages"
)

func main() {
	os.Exit(initd.Main(context.Background(), os.Args, os.Environ(), stages.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
