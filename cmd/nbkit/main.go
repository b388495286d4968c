// Command nbkit builds the Kubeflow notebook image tree, checks images against
// the Kubeflow notebook contract, and runs them locally the way Kubeflow does.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/nbkit/nbkit/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
