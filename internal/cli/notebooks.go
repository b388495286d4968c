package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/launch"
)

// runLs lists the notebooks nbkit run started, found by their labels.
func runLs(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("ls", "", s)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cli, err := engine.Connect(ctx)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer cli.Close()
	entries, err := launch.List(ctx, cli)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAMESPACE\tNAME\tIMAGE\tSTATE\tVOLUME")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Namespace, e.Name, dash(e.Image), e.State, dash(e.Volume))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// runStop stops a notebook gracefully, keeping its container and volume.
func runStop(ctx context.Context, s Streams, args []string) error {
	e, cli, err := findNotebook(ctx, s, "stop", "NAME [--namespace NS]", args, nil)
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := e.Stop(ctx, cli); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "Stopped %s/%s\n", e.Namespace, e.Name)
	return nil
}

// runRm removes a notebook's container, and its home volume with --volume.
func runRm(ctx context.Context, s Streams, args []string) error {
	var volume bool
	e, cli, err := findNotebook(ctx, s, "rm", "NAME [--namespace NS] [--volume]", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&volume, "volume", false, "also delete the home volume (the notebook's files)")
	})
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := e.Remove(ctx, cli, volume); err != nil {
		return err
	}
	what := "container"
	if volume && e.Volume != "" {
		what = "container and home volume " + e.Volume
	} else if e.Volume != "" {
		what = "container (home volume " + e.Volume + " kept)"
	}
	fmt.Fprintf(s.Out, "Removed %s/%s: %s\n", e.Namespace, e.Name, what)
	return nil
}

// findNotebook parses NAME and --namespace (plus extra flags) and finds the notebook.
func findNotebook(ctx context.Context, s Streams, cmd, synopsis string, args []string, extra func(*flag.FlagSet)) (launch.Entry, *client.Client, error) {
	fs := newFlags(cmd, synopsis, s)
	namespace := fs.String("namespace", "", "namespace of the notebook, when the name is not unique")
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return launch.Entry{}, nil, err
	}
	if len(pos) != 1 {
		fs.Usage()
		return launch.Entry{}, nil, &ExitError{Code: 2, Err: fmt.Errorf("%s takes exactly one NAME (see `nbkit ls`)", cmd)}
	}
	cli, err := engine.Connect(ctx)
	if err != nil {
		return launch.Entry{}, nil, &ExitError{Code: 2, Err: err}
	}
	e, err := launch.Find(ctx, cli, pos[0], *namespace)
	if err != nil {
		cli.Close()
		return launch.Entry{}, nil, err
	}
	return e, cli, nil
}
