package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nbkit/nbkit/internal/conformance"
	"github.com/nbkit/nbkit/internal/engine"
)

// runCheck checks images against the Kubeflow notebook image contract.
func runCheck(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("check", "[flags] IMAGE...", s)
	profile := fs.String("profile", "kubeflow", "cluster to imitate: kubeflow, openshift (random UID must work) or restricted (cap-drop ALL, read-only root must work)")
	only := fs.String("only", "", "comma-separated check IDs to run (default: all)")
	skipIDs := fs.String("skip", "", "comma-separated check IDs not to run")
	timeout := fs.Duration("timeout", 120*time.Second, "how long the server may take to answer on port 8888")
	driver := fs.String("driver", "docker", "docker (run images in the engine) or static (IMAGE is a 'docker save' tarball or an OCI layout directory; no engine)")
	format := fs.String("format", "text", "report format: text, json or junit")
	output := fs.String("output", "", "write the report to this file (the text table still goes to stdout)")
	parallel := fs.Int("parallel", 2, "how many images to check at once")
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	images := fs.Args()
	if len(images) == 0 {
		fs.Usage()
		return &ExitError{Code: 2, Err: errors.New("no image given: nbkit check [flags] IMAGE...")}
	}
	opts := conformance.Options{StartTimeout: *timeout, Parallel: *parallel}
	var err error
	if opts.Profile, err = conformance.ProfileNamed(*profile); err != nil {
		return usageError(err)
	}
	if opts.Only, err = conformance.ParseIDs("--only", *only); err != nil {
		return usageError(err)
	}
	if opts.Skip, err = conformance.ParseIDs("--skip", *skipIDs); err != nil {
		return usageError(err)
	}
	write, err := reportWriter(*format)
	if err != nil {
		return usageError(err)
	}

	var d conformance.Driver
	switch *driver {
	case "docker":
		cli, err := engine.Connect(ctx)
		if err != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("cannot check without an engine: %w (or use --driver static on a `docker save` tarball)", err)}
		}
		defer cli.Close()
		d = conformance.NewDocker(cli)
	case "static":
		d = conformance.Static{}
	default:
		return usageError(fmt.Errorf("--driver: unknown driver %q; use docker or static", *driver))
	}

	fmt.Fprintf(s.Err, "checking %s with the %s driver, profile %s...\n", strings.Join(images, ", "), d.Name(), opts.Profile.Name)
	var mu sync.Mutex
	opts.Done = func(r conformance.Report) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(s.Err, "  %s: %s\n", r.Image, conformance.Summary(r))
	}
	reports := conformance.Run(ctx, d, images, opts)

	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("--output: creating %s: %w", *output, err)}
		}
		werr := write(f, reports)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("writing %s: %w", *output, werr)}
		}
		write = conformance.WriteText
	}
	if err := write(s.Out, reports); err != nil {
		return &ExitError{Code: 2, Err: fmt.Errorf("writing the report: %w", err)}
	}
	return checkExit(ctx, reports)
}

func reportWriter(format string) (func(io.Writer, []conformance.Report) error, error) {
	switch format {
	case "text":
		return conformance.WriteText, nil
	case "json":
		return conformance.WriteJSON, nil
	case "junit":
		return conformance.WriteJUnit, nil
	}
	return nil, fmt.Errorf("--format: unknown format %q; use text, json or junit", format)
}

// checkExit maps reports to the exit status: 2 when an image could not be
// checked (with why), 1 when a fail-level check failed.
func checkExit(ctx context.Context, reports []conformance.Report) error {
	if ctx.Err() != nil {
		return &ExitError{Code: 130, Err: errors.New("interrupted; the containers and volumes it created were removed")}
	}
	switch conformance.ExitCode(reports) {
	case 2:
		var why []string
		for _, r := range reports {
			if r.Broken() {
				msg := "a check could not run (see ERROR rows)"
				if r.Err != nil {
					msg = r.Err.Error()
				}
				why = append(why, fmt.Sprintf("%s: %s", r.Image, msg))
			}
		}
		return &ExitError{Code: 2, Err: fmt.Errorf("could not check %s", strings.Join(why, "; "))}
	case 1:
		var failed []string
		for _, r := range reports {
			if r.Failed() {
				failed = append(failed, r.Image)
			}
		}
		return fmt.Errorf("%s failed the contract (see FAIL rows)", strings.Join(failed, ", "))
	}
	return nil
}

func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &ExitError{Code: 2, Err: err}
}
