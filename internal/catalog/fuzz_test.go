package catalog

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzImageYAML feeds image.yaml files to the reader inside a small tree (a
// root image "base" and the shared folders of images/_include). Whatever the
// file says, Read must not panic; a file it accepts must mean the same
// thing when written back: its fields, encoded again, read as the same
// image, again without a problem.
func FuzzImageYAML(f *testing.F) {
	seeds, err := filepath.Glob("../../images/*/image.yaml")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no image.yaml under ../../images to seed from: %v", err)
	}
	for _, p := range seeds {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	tree := f.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(tree, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	base, err := os.ReadFile("../../images/base/image.yaml")
	if err != nil {
		f.Fatal(err)
	}
	write("base/image.yaml", base)
	write("base/Dockerfile", nil)
	write("fuzzed/Dockerfile", nil)
	shared, _ := filepath.Glob("../../images/" + IncludeDir + "/*")
	for _, s := range shared {
		write(filepath.Join(IncludeDir, filepath.Base(s), ".keep"), nil)
	}
	file := filepath.Join(tree, "fuzzed", "image.yaml")

	// readFuzzed reads the tree and returns the fuzzed image, or nil when any
	// problem names its file.
	readFuzzed := func(t *testing.T, raw []byte) *Image {
		t.Helper()
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		c, probs, err := Read(tree)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		for _, p := range probs {
			if p.File == file {
				return nil
			}
		}
		img := c.Get("fuzzed")
		if img == nil {
			t.Fatalf("no problem about %s, but no image either", file)
		}
		return img
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		img := readFuzzed(t, raw)
		if img == nil {
			return
		}
		again, err := yaml.Marshal(spec{
			Description: img.Description, Parent: img.Parent, From: img.From, IDE: img.IDE,
			Sources: img.Sources, Platforms: img.Platforms, BuildArgs: img.BuildArgs,
			Binaries: img.Binaries, Include: img.Include,
		})
		if err != nil {
			t.Fatalf("encoding the accepted %q: %v", raw, err)
		}
		back := readFuzzed(t, again)
		if back == nil {
			t.Fatalf("accepted %q, but not its re-encoding %q", raw, again)
		}
		if img.Description != back.Description || img.Parent != back.Parent || img.From != back.From || img.IDE != back.IDE ||
			!slices.Equal(img.Sources, back.Sources) || !slices.Equal(img.Platforms, back.Platforms) ||
			!maps.Equal(img.BuildArgs, back.BuildArgs) || !slices.Equal(img.Binaries, back.Binaries) ||
			!slices.Equal(img.Include, back.Include) {
			t.Errorf("%q read as %+v, its re-encoding %q as %+v", raw, img, again, back)
		}
	})
}
