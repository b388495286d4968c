package imagelint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nbkit/nbkit/internal/catalog"
)

// Spec is one row of the image table in design/images.md: the tree of the
// seed's chart, with what each layer may download from.
type Spec struct {
	Name    string
	Parent  string // "" for the root
	IDE     string
	Sources []string
	Offline bool // buildable from a Debian mirror and the npm registry alone
}

// Tree is the table of design/images.md. Change both together.
var Tree = []Spec{
	{"base", "", "none", []string{"debian"}, true},
	{"jupyter", "base", "jupyterlab", []string{"debian"}, true},
	{"codeserver", "base", "codeserver", []string{"debian", "npm"}, true},
	{"rstudio", "base", "rstudio", []string{"debian", "posit"}, false},
	{"jupyter-scipy", "jupyter", "jupyterlab", []string{"debian"}, true},
	{"jupyter-pytorch", "jupyter", "jupyterlab", []string{"debian"}, true},
	{"jupyter-tensorflow", "jupyter", "jupyterlab", []string{"pypi"}, false},
	{"codeserver-python", "codeserver", "codeserver", []string{"github", "open-vsx"}, false},
	{"rstudio-tidyverse", "rstudio", "rstudio", []string{"debian"}, false},
	{"jupyter-pytorch-full", "jupyter-pytorch", "jupyterlab", []string{"debian", "pypi"}, false},
	{"jupyter-tensorflow-full", "jupyter-tensorflow", "jupyterlab", []string{"debian", "pypi"}, false},
	{"jupyter-pytorch-cuda", "jupyter", "jupyterlab", []string{"pypi", "nvidia"}, false},
	{"jupyter-tensorflow-cuda", "jupyter", "jupyterlab", []string{"pypi", "nvidia"}, false},
	{"jupyter-pytorch-gaudi", "jupyter", "jupyterlab", []string{"habana", "pypi"}, false},
	{"jupyter-pytorch-cuda-full", "jupyter-pytorch-cuda", "jupyterlab", []string{"debian", "pypi"}, false},
	{"jupyter-tensorflow-cuda-full", "jupyter-tensorflow-cuda", "jupyterlab", []string{"debian", "pypi"}, false},
	{"jupyter-pytorch-gaudi-full", "jupyter-pytorch-gaudi", "jupyterlab", []string{"debian", "pypi"}, false},
}

// checkTree compares the catalog with Tree. Images of Tree that are absent
// are not reported here (see Missing): the tree is written by several hands.
func checkTree(c *catalog.Catalog) []Finding {
	want := map[string]Spec{}
	for _, s := range Tree {
		want[s.Name] = s
	}
	// Offline is only meaningful for images that hang from a root.
	rooted := map[string]bool{}
	for _, img := range c.Order() {
		rooted[img.Name] = true
	}
	var out []Finding
	for _, img := range images(c) {
		file := img.Name + "/image.yaml"
		bad := func(format string, args ...any) {
			out = append(out, Finding{Image: img.Name, File: file, Rule: RuleTree, Msg: fmt.Sprintf(format, args...)})
		}
		s, ok := want[img.Name]
		if !ok {
			bad("%s is not in the image tree of design/images.md; add it there (and to imagelint.Tree) or remove the folder", img.Name)
			continue
		}
		if img.Parent != s.Parent {
			bad("parent is %q, the tree says %q", img.Parent, s.Parent)
		}
		if img.IDE != s.IDE {
			bad("ide is %q, the tree says %q", img.IDE, s.IDE)
		}
		got := slices.Clone(img.Sources)
		slices.Sort(got)
		ws := slices.Clone(s.Sources)
		slices.Sort(ws)
		if !slices.Equal(got, ws) {
			bad("sources are [%s], the tree says [%s]", strings.Join(got, ", "), strings.Join(ws, ", "))
		}
		if off, _ := c.Offline(img.Name); rooted[img.Name] && off != s.Offline {
			bad("offline-buildable is %v from its sources and its ancestors', the tree says %v", off, s.Offline)
		}
	}
	return out
}

// Missing lists the images of Tree that have no folder.
func Missing(c *catalog.Catalog) []string {
	var out []string
	for _, s := range Tree {
		if c.Get(s.Name) == nil {
			out = append(out, s.Name)
		}
	}
	return out
}
