package imagelint

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nbkit/nbkit/internal/catalog"
)

// Load reads the tree with internal/catalog, the reader `nbkit build` uses,
// and turns each of its problems into a finding. The catalog comes back as
// far as it could be read, so the Dockerfiles of images with a bad
// image.yaml are still checked; the error is for a tree that cannot be read.
func Load(dir string) (*catalog.Catalog, []Finding, error) {
	c, probs, err := catalog.Read(dir)
	if err != nil {
		return nil, nil, err
	}
	findings := make([]Finding, 0, len(probs))
	for _, p := range probs {
		findings = append(findings, fromProblem(dir, p))
	}
	return c, findings, nil
}

// fromProblem says a catalog problem in imagelint's terms: a path relative
// to images/ and one message with the field and the fix.
func fromProblem(dir string, p catalog.Problem) Finding {
	rel, err := filepath.Rel(dir, p.File)
	if err != nil {
		rel = p.File
	}
	rel = filepath.ToSlash(rel)
	image, _, _ := strings.Cut(rel, "/")
	msg := p.What
	if p.Field != "" {
		msg = "field " + p.Field + ": " + msg
	}
	if p.Fix != "" {
		msg += "; " + p.Fix
	}
	return Finding{Image: image, File: rel, Rule: RuleCatalog, Msg: msg}
}

// images returns every image of the catalog by name, including those a
// problem keeps out of the parents-first order.
func images(c *catalog.Catalog) []*catalog.Image {
	out := make([]*catalog.Image, 0, len(c.Images))
	for _, n := range slices.Sorted(maps.Keys(c.Images)) {
		out = append(out, c.Images[n])
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
