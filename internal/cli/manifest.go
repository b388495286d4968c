package cli

import (
	"context"
	"fmt"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/manifest"
)

// runManifest shows an image's package manifest, or diffs two manifests
// written by `nbkit build` (out/manifests/NAME.json).
func runManifest(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("manifest", "IMAGE-REF [--format md|json] | diff A.json B.json", s)
	format := fs.String("format", "md", "output format for an image: md or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 3 && fs.Arg(0) == "diff":
		a, err := manifest.Read(fs.Arg(1))
		if err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		b, err := manifest.Read(fs.Arg(2))
		if err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		return manifest.WriteDiff(s.Out, a, b)
	case fs.NArg() == 1 && fs.Arg(0) != "diff":
		eng, err := engine.Connect(ctx)
		if err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		defer eng.Close()
		m, err := manifest.Collect(ctx, eng, fs.Arg(0), fs.Arg(0))
		if err != nil {
			return err
		}
		if *format == "json" {
			return m.WriteJSON(s.Out)
		}
		return m.WriteMarkdown(s.Out)
	}
	fs.Usage()
	return &ExitError{Code: 2, Err: fmt.Errorf("expected an image reference, or diff A.json B.json")}
}
