package catalog

import (
	"path/filepath"
	"slices"
	"sort"
)

// Image is one folder of the tree, as declared by its image.yaml.
type Image struct {
	Name        string            // folder name, also the image repository name
	Dir         string            // the folder
	File        string            // its image.yaml, for messages
	Description string            // one line for people
	Parent      string            // another image of the tree, or "" for a root
	From        string            // external OS base of a root image, or ""
	IDE         string            // one of IDEs
	Sources     []string          // where this image's own layer gets software
	Platforms   []string          // OCI platforms it builds for
	BuildArgs   map[string]string // extra --build-arg values
	Binaries    []string          // commands of this repo the builder compiles into the context
	Include     []string          // shared folders of IncludeDir the builder stages as _include/<name>/

	undecoded bool // image.yaml had an unknown field: its values are not judged
}

// IncludeDir is the folder of the catalog that holds the shared snippets
// images opt into with include: (images/_include/<name>/). It has no
// image.yaml or Dockerfile, so it is not an image itself.
const IncludeDir = "_include"

// IncludePath returns the folder of the named shared snippet. Image folders
// sit directly under the catalog, so the snippets are their siblings'.
func (img *Image) IncludePath(name string) string {
	return filepath.Join(filepath.Dir(img.Dir), IncludeDir, name)
}

// Allowed values of image.yaml fields. Kept as sorted lists so error messages
// can name every allowed value.
var (
	IDEs           = []string{"codeserver", "jupyterlab", "none", "rstudio"}
	Sources        = []string{"debian", "github", "habana", "npm", "nvidia", "open-vsx", "posit", "pypi"}
	Platforms      = []string{"linux/amd64", "linux/arm64"}
	OfflineSources = []string{"debian", "npm"}
	// Binaries are the Go commands (./cmd/<name>) an image may ask the builder
	// to cross-compile into its build context as _nbkit/<name>-<arch>.
	Binaries = []string{"nbinit", "nbproxy"}
)

// ServerType maps an IDE to the value the Kubeflow notebook controller reads
// from the notebook-server-type label.
func ServerType(ide string) string {
	switch ide {
	case "jupyterlab":
		return "jupyter"
	case "codeserver":
		return "group-one"
	case "rstudio":
		return "group-two"
	}
	return ""
}

// Catalog is a validated image tree.
type Catalog struct {
	Dir    string
	Images map[string]*Image
	order  []string
}

// Get returns the named image or nil.
func (c *Catalog) Get(name string) *Image { return c.Images[name] }

// Order returns every image, parents before children; siblings by name.
func (c *Catalog) Order() []*Image {
	out := make([]*Image, 0, len(c.order))
	for _, n := range c.order {
		out = append(out, c.Images[n])
	}
	return out
}

// Children returns the images whose parent is name, sorted by name.
func (c *Catalog) Children(name string) []*Image {
	var out []*Image
	for _, n := range c.order {
		if c.Images[n].Parent == name {
			out = append(out, c.Images[n])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Ancestors returns the chain from the root down to the image's parent.
func (c *Catalog) Ancestors(name string) []*Image {
	var chain []*Image
	seen := map[string]bool{name: true}
	// A catalog from Read may hold unknown parents and cycles: stop there.
	for p := c.Images[name].Parent; c.Images[p] != nil && !seen[p]; p = c.Images[p].Parent {
		seen[p] = true
		chain = append(chain, c.Images[p])
	}
	slices.Reverse(chain)
	return chain
}

// AllSources returns the sources of the image and all its ancestors, sorted:
// everything that must be reachable to build it from scratch.
func (c *Catalog) AllSources(name string) []string {
	set := map[string]bool{}
	for _, a := range append(c.Ancestors(name), c.Images[name]) {
		for _, s := range a.Sources {
			set[s] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Offline reports whether the image builds with only a Debian mirror and the
// npm registry reachable, and if not, the first source that needs more.
func (c *Catalog) Offline(name string) (bool, string) {
	for _, s := range c.AllSources(name) {
		if !slices.Contains(OfflineSources, s) {
			return false, s
		}
	}
	return true, ""
}
