// Command nbproxy is the Kubeflow contract proxy for IDEs that cannot serve
// under NB_PREFIX or answer the culler (code-server, RStudio). Images run it
// as an nbinit service; see docs/contract-proxy.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/nbkit/nbkit/internal/frontproxy"
)

func main() {
	cfg, err := frontproxy.ParseFlags(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbproxy:", err)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = frontproxy.Run(ctx, cfg, log)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbproxy:", err)
		os.Exit(1)
	}
}
