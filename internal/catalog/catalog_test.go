package catalog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbkit/nbkit/internal/golden"
)

func TestRender(t *testing.T) {
	c, err := Load("testdata/tree17")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{"tree17.txt", func(b *bytes.Buffer) error { return c.WriteText(b) }},
		{"tree17.mmd", func(b *bytes.Buffer) error { return c.WriteMermaid(b) }},
		{"tree17.json", func(b *bytes.Buffer) error { return c.WriteJSON(b) }},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.golden, b.Bytes())
		})
	}
}

func TestOrderParentsFirst(t *testing.T) {
	c, err := Load("testdata/tree17")
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, img := range c.Order() {
		pos[img.Name] = i
	}
	if len(pos) != 17 {
		t.Fatalf("order has %d images, want 17", len(pos))
	}
	for _, img := range c.Order() {
		if img.Parent != "" && pos[img.Parent] > pos[img.Name] {
			t.Errorf("%s comes before its parent %s", img.Name, img.Parent)
		}
	}
}

// The bad catalog holds one of each mistake; all must be reported in one error.
func TestLoadReportsAllProblems(t *testing.T) {
	_, err := Load("testdata/bad")
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Load = %v, want *InvalidError", err)
	}
	golden.Check(t, "bad.txt", []byte(err.Error()+"\n"))
}

func TestLoadSingleProblem(t *testing.T) {
	root := "description: root\nfrom: debian:trixie-slim\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown parent", "description: x\nparent: nope\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: parent: unknown image "nope"`},
		{"unknown source", "description: x\nparent: root\nide: none\nsources: [cran]\nplatforms: [linux/amd64]\n", `x/image.yaml: sources: unknown source "cran" (use only: debian, github`},
		{"unknown ide", "description: x\nparent: root\nide: emacs\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: ide: unknown value "emacs" (use one of: codeserver, jupyterlab, none, rstudio)`},
		{"unknown platform", "description: x\nparent: root\nide: none\nsources: [debian]\nplatforms: [linux/riscv64]\n", `x/image.yaml: platforms: unknown platform "linux/riscv64"`},
		{"platform parent lacks", "description: x\nparent: root\nide: none\nsources: [debian]\nplatforms: [linux/arm64]\n", `x/image.yaml: platforms: linux/arm64 is not built by parent root`},
		{"both", "description: x\nparent: root\nfrom: debian:trixie-slim\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: parent: both parent and from are set`},
		{"neither", "description: x\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: parent: neither parent nor from is set`},
		{"self cycle", "description: x\nparent: x\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: parent: cycle: x -> x`},
		{"unknown field", "description: x\nparent: root\nide: none\nsources: [debian]\nplatform: [linux/amd64]\n", `field platform not found`},
		{"no description", "parent: root\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", `x/image.yaml: description: missing`},
		{"unknown include", "description: x\nparent: root\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\ninclude: [shared, nope]\n", `x/image.yaml: include: unknown include "nope" (create `},
		{"include outside _include", "description: x\nparent: root\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\ninclude: [../root]\n", `x/image.yaml: include: unknown include "../root"`},
		{"include twice", "description: x\nparent: root\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\ninclude: [shared, shared]\n", `x/image.yaml: include: "shared" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, IncludeDir, "shared"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeImage(t, dir, "root", root, true)
			writeImage(t, dir, "x", tc.yaml, true)
			_, err := Load(dir)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Load = %v, want *InvalidError", err)
			}
			if len(inv.Problems) != 1 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant exactly one problem containing %q", err, tc.want)
			}
		})
	}
}

// Read hands back what it could load with the problems, for tools that report
// them as findings; an image.yaml with an unknown field still counts as an
// image, so its children do not also get "unknown parent".
func TestReadKeepsImagesDespiteProblems(t *testing.T) {
	dir := t.TempDir()
	writeImage(t, dir, "root", "description: root\nfrom: debian:trixie-slim\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", true)
	writeImage(t, dir, "mid", "description: x\nparent: root\nide: none\nsources: [debian]\nplatfroms: [linux/amd64]\n", true)
	writeImage(t, dir, "leaf", "description: x\nparent: mid\nide: none\nsources: [pypi]\nplatforms: [linux/amd64]\n", true)
	writeImage(t, dir, "stray", "description: x\nparent: nope\nide: none\nsources: [debian]\nplatforms: [linux/amd64]\n", true)
	c, probs, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, filepath.Base(filepath.Dir(p.File))+" "+p.Field)
	}
	if strings.Join(got, "; ") != "mid ; stray parent" {
		t.Errorf("problems %q, want the typo in mid and the unknown parent of stray only", got)
	}
	if c.Get("mid") == nil || c.Get("leaf").Parent != "mid" {
		t.Fatalf("Read dropped images: %v", c.Images)
	}
	var order []string
	for _, img := range c.Order() {
		order = append(order, img.Name)
	}
	if strings.Join(order, " ") != "root mid leaf" {
		t.Errorf("Order = %v, want the images that hang from a root", order)
	}
	if ok, src := c.Offline("leaf"); ok || src != "pypi" {
		t.Errorf("Offline(leaf) = %v %q, want false pypi", ok, src)
	}
	if a := c.Ancestors("stray"); len(a) != 0 {
		t.Errorf("Ancestors of an image with an unknown parent = %v, want none", a)
	}
	if _, err := Load(dir); err == nil {
		t.Error("Load accepted the catalog Read found problems in")
	}
}

func TestSelect(t *testing.T) {
	c, err := Load("testdata/tree17")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		names   []string
		offline bool
		want    string
		wantErr string
	}{
		{"all offline", nil, true, "base codeserver jupyter jupyter-pytorch jupyter-scipy", ""},
		{"leaf pulls ancestors", []string{"jupyter-pytorch-full"}, false, "base jupyter jupyter-pytorch jupyter-pytorch-full", ""},
		{"two branches share parents once", []string{"jupyter-scipy", "codeserver"}, false, "base codeserver jupyter jupyter-scipy", ""},
		{"offline named ok", []string{"jupyter-scipy"}, true, "base jupyter jupyter-scipy", ""},
		{"offline named needs pypi", []string{"jupyter-pytorch-full"}, true, "", `jupyter-pytorch-full is not buildable offline: it needs source "pypi"`},
		{"offline via parent", []string{"rstudio-tidyverse"}, true, "", `rstudio-tidyverse is not buildable offline: it needs source "posit"`},
		{"unknown", []string{"nope"}, false, "", `unknown image "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			imgs, err := c.Select(tc.names, tc.offline)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Select error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, i := range imgs {
				got = append(got, i.Name)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("Select = %v, want %s", got, tc.want)
			}
		})
	}
}

func writeImage(t *testing.T, dir, name, yaml string, dockerfile bool) {
	t.Helper()
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "image.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if dockerfile {
		if err := os.WriteFile(filepath.Join(d, "Dockerfile"), []byte("ARG BASE_IMG\nFROM $BASE_IMG\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
