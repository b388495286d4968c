package cli

import (
	"context"
	"fmt"

	"github.com/nbkit/nbkit/internal/catalog"
)

// runTree prints the catalog: the tree as text, as the seed's Mermaid chart,
// or as JSON for tools, each image with its sources and offline flag.
func runTree(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("tree", "[--format text|mermaid|json] [--images DIR]", s)
	format := fs.String("format", "text", "output format: text, mermaid or json")
	dir := fs.String("images", "images", "the image catalog folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &ExitError{Code: 2, Err: fmt.Errorf("unexpected arguments %v", fs.Args())}
	}
	c, err := catalog.Load(*dir)
	if err != nil {
		return err
	}
	switch *format {
	case "text":
		return c.WriteText(s.Out)
	case "mermaid":
		return c.WriteMermaid(s.Out)
	case "json":
		return c.WriteJSON(s.Out)
	}
	return &ExitError{Code: 2, Err: fmt.Errorf("--format %q: use text, mermaid or json", *format)}
}
