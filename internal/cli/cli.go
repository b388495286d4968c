// Package cli is the nbkit command line: one file per subcommand, this file
// holds the table that names them and the dispatch.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
)

// Streams are where a subcommand reads and writes; tests pass buffers.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, s Streams, args []string) error
}

var commands = map[string]command{
	"bootstrap": {"make the OS base image from a Debian mirror (no registry needed)", runBootstrap},
	"build":     {"build the image tree in dependency order, skipping unchanged images", runBuild},
	"tree":      {"show the image catalog as text, Mermaid or JSON", runTree},
	"manifest":  {"show or diff the package manifests written by build", runManifest},
	"check":     {"check images against the Kubeflow notebook image contract", runCheck},
	"run":       {"run an image locally the way Kubeflow serves it, behind a dashboard", runRun},
	"ls":        {"list notebooks started by nbkit run", runLs},
	"stop":      {"stop a notebook started by nbkit run", runStop},
	"rm":        {"remove a notebook started by nbkit run (and its volume with --volume)", runRm},
}

// ExitError carries a process exit status other than 1 out of a subcommand.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Main runs the command line and returns the process exit status.
func Main(ctx context.Context, args []string, s Streams) int {
	slog.SetDefault(slog.New(slog.NewTextHandler(s.Err, &slog.HandlerOptions{Level: logLevel()})))
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(s.Out)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(s.Err, "nbkit: unknown command %q\n\n", args[0])
		usage(s.Err)
		return 2
	}
	err := cmd.run(ctx, s, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(s.Err, "nbkit %s: %v\n", args[0], err)
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "nbkit builds, checks and runs Kubeflow notebook images.")
	fmt.Fprintln(w, "\nUsage: nbkit COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'nbkit COMMAND -h' for a command's flags.")
}

func logLevel() slog.Level {
	if os.Getenv("NBKIT_DEBUG") != "" {
		return slog.LevelDebug
	}
	return slog.LevelWarn
}

// newFlags returns a flag set whose usage and errors go to s.Err.
func newFlags(name, synopsis string, s Streams) *flag.FlagSet {
	fs := flag.NewFlagSet("nbkit "+name, flag.ContinueOnError)
	fs.SetOutput(s.Err)
	fs.Usage = func() {
		fmt.Fprintf(s.Err, "Usage: nbkit %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}
