package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/nbkit/nbkit/internal/bootstrap"
	"github.com/nbkit/nbkit/internal/engine"
)

// runBootstrap makes the OS base image from a Debian mirror when the engine
// does not have it (no registry to pull from).
func runBootstrap(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("bootstrap", "[flags]", s)
	var o bootstrap.Options
	fs.StringVar(&o.Ref, "ref", "debian:trixie-slim", "image to create")
	fs.StringVar(&o.Suite, "suite", "trixie", "Debian suite")
	fs.StringVar(&o.Mirror, "mirror", "http://deb.debian.org/debian", "Debian mirror URL")
	fs.StringVar(&o.Snapshot, "snapshot", "", "snapshot.debian.org timestamp, e.g. 20250801T000000Z (overrides --mirror; reproducible base)")
	fs.StringVar(&o.Variant, "variant", "minbase", "mmdebstrap variant")
	fs.StringVar(&o.Platform, "platform", "", "target platform, e.g. linux/arm64 (default: the host's)")
	fs.BoolVar(&o.Force, "force", false, "make the image even if it exists (replaces the tag)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &ExitError{Code: 2, Err: fmt.Errorf("unexpected arguments %v", fs.Args())}
	}
	eng, err := engine.Connect(ctx)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer eng.Close()
	o = o.Defaults()
	o.Log = s.Err
	start := time.Now()
	if !o.Force {
		fmt.Fprintf(s.Err, "looking for %s in the engine\n", o.Ref)
	}
	res, err := bootstrap.Run(ctx, eng, o)
	if err != nil {
		return err
	}
	if !res.Created {
		fmt.Fprintf(s.Out, "%s is present (%s); nothing to do (--force to remake it)\n", o.Ref, res.ImageID)
		return nil
	}
	from := o.Mirror
	if o.Snapshot != "" {
		from = "snapshot " + o.Snapshot
	}
	fmt.Fprintf(s.Out, "made %s (%s, %s) from %s in %s\n", o.Ref, res.ImageID, o.Platform, from, time.Since(start).Round(time.Second))
	return nil
}
