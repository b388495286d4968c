package imagelint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbkit/nbkit/internal/catalog"
)

// FuzzDockerfile feeds Dockerfiles to the parser and to every rule that reads
// one, for a root image and a child. None may panic, and what they report
// stays inside the file: instructions come in file order on lines that
// exist, and a finding about the Dockerfile names one of those lines or the
// whole file (0), so that a lint message always points somewhere real.
func FuzzDockerfile(f *testing.F) {
	seeds, err := filepath.Glob("../../images/*/Dockerfile")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no Dockerfile under ../../images to seed from: %v", err)
	}
	for _, p := range seeds {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	dir := filepath.Join(f.TempDir(), "fuzzed")
	if err := os.Mkdir(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	df := filepath.Join(dir, "Dockerfile")
	images := []*catalog.Image{
		{Name: "fuzzed", Dir: dir, From: "debian:trixie-slim", Platforms: []string{"linux/amd64", "linux/arm64"}, Binaries: []string{"nbinit"}},
		{Name: "fuzzed", Dir: dir, Parent: "base", Platforms: []string{"linux/amd64"}, Binaries: []string{"nbproxy"}, Include: []string{"scipy-stack"}},
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := os.WriteFile(df, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		ins, err := ParseDockerfile(df)
		if err != nil {
			return
		}
		lines := bytes.Count(raw, []byte("\n")) + 1
		at := map[int]bool{0: true}
		prev := 0
		for _, in := range ins {
			if in.Line < 1 || in.Line > lines || in.Line < prev {
				t.Fatalf("instruction %q at line %d (after line %d) in a file of %d lines", in.Text, in.Line, prev, lines)
			}
			if in.Cmd == "" || in.Cmd != strings.ToLower(in.Cmd) {
				t.Errorf("instruction %q has command %q, want it lowercase and set", in.Text, in.Cmd)
			}
			prev = in.Line
			at[in.Line] = true
		}
		for _, img := range images {
			var found []Finding
			found = append(found, checkDockerfile(img, ins)...)
			found = append(found, checkIncludeUse(img, ins)...)
			found = append(found, checkDownloads(imageFiles(img), "Dockerfile", ins)...)
			found = append(found, checkPip(imageFiles(img), "Dockerfile", ins)...)
			for _, fd := range found {
				if fd.File == img.Name+"/Dockerfile" && !at[fd.Line] {
					t.Errorf("finding at line %d, where no instruction starts: %s", fd.Line, fd)
				}
			}
		}
	})
}
