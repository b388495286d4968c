package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// spec is the on-disk form of image.yaml. Pointers tell "absent" from "empty".
type spec struct {
	Description string            `yaml:"description"`
	Parent      string            `yaml:"parent"`
	From        string            `yaml:"from"`
	IDE         string            `yaml:"ide"`
	Sources     []string          `yaml:"sources"`
	Platforms   []string          `yaml:"platforms"`
	BuildArgs   map[string]string `yaml:"build_args"`
	Binaries    []string          `yaml:"binaries"`
	Include     []string          `yaml:"include"`
}

// A name becomes an image repository component, so it must be one.
var validName = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// Load reads and validates every image folder under dir. A folder counts as an
// image when it holds an image.yaml or a Dockerfile; others (shared snippets)
// are ignored. All problems are reported together in an *InvalidError.
func Load(dir string) (*Catalog, error) {
	c, probs, err := Read(dir)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, &InvalidError{Dir: dir, Problems: probs}
	}
	return c, nil
}

// Read is Load for tools that report problems themselves (imagelint): it
// returns the catalog as far as it could be read together with every
// problem. With problems, the catalog may hold images with unknown parents
// or on cycles; Order lists only those that hang from a root, and an image
// whose image.yaml has a syntax error is left out. The error is for a tree
// that cannot be read at all.
func Read(dir string) (*Catalog, []Problem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading catalog: %w", err)
	}
	c := &Catalog{Dir: dir, Images: map[string]*Image{}}
	var probs []Problem
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		img, p := loadImage(filepath.Join(dir, e.Name()))
		probs = append(probs, p...)
		if img != nil {
			c.Images[img.Name] = img
		}
	}
	if len(c.Images) == 0 && len(probs) == 0 {
		return nil, nil, fmt.Errorf("reading catalog: no image folders (with image.yaml) under %s", dir)
	}
	probs = append(probs, c.checkParents()...)
	order, cyc := c.sortParentsFirst()
	probs = append(probs, cyc...)
	c.order = order
	return c, probs, nil
}

func loadImage(dir string) (*Image, []Problem) {
	name := filepath.Base(dir)
	file := filepath.Join(dir, "image.yaml")
	hasDockerfile := fileExists(filepath.Join(dir, "Dockerfile"))
	raw, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		if hasDockerfile {
			return nil, []Problem{{File: dir, What: "has a Dockerfile but no image.yaml", Fix: "add image.yaml with description, parent or from, ide, sources and platforms"}}
		}
		return nil, nil
	}
	if err != nil {
		return nil, []Problem{{File: file, What: err.Error()}}
	}
	var s spec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	err = dec.Decode(&s)
	img := &Image{
		Name: name, Dir: dir, File: file, Description: s.Description,
		Parent: s.Parent, From: s.From, IDE: s.IDE, Sources: s.Sources,
		Platforms: s.Platforms, BuildArgs: s.BuildArgs, Binaries: s.Binaries,
		Include: s.Include,
	}
	if err != nil && !errors.Is(err, io.EOF) {
		p := []Problem{{File: file, What: "not valid: " + yamlMessage(err), Fix: "allowed fields: description, parent, from, ide, sources, platforms, build_args, binaries, include"}}
		// After a type error (an unknown field) the rest decoded: keep the
		// image so its children do not also report an unknown parent; its
		// other fields are not judged until the file decodes.
		var te *yaml.TypeError
		if errors.As(err, &te) {
			img.undecoded = true
			return img, p
		}
		return nil, p
	}
	return img, validate(img, hasDockerfile)
}

func validate(img *Image, hasDockerfile bool) []Problem {
	var probs []Problem
	add := func(field, what, fix string) {
		probs = append(probs, Problem{File: img.File, Field: field, What: what, Fix: fix})
	}
	if !validName.MatchString(img.Name) {
		add("", fmt.Sprintf("folder name %q is not a valid image name", img.Name), "rename the folder to lowercase letters, digits and single - . _ separators")
	}
	if !hasDockerfile {
		add("", "no Dockerfile next to image.yaml", "add "+filepath.Join(img.Dir, "Dockerfile"))
	}
	if strings.TrimSpace(img.Description) == "" {
		add("description", "missing", "add a one-line description")
	}
	switch {
	case img.Parent != "" && img.From != "":
		add("parent", "both parent and from are set", "keep parent for an image built on another image of the tree, from only for the root image")
	case img.Parent == "" && img.From == "":
		add("parent", "neither parent nor from is set", "set parent to another image folder, or from to an OS base such as debian:trixie-slim")
	}
	if !slices.Contains(IDEs, img.IDE) {
		add("ide", fmt.Sprintf("unknown value %q", img.IDE), "use one of: "+strings.Join(IDEs, ", "))
	}
	if len(img.Sources) == 0 {
		add("sources", "missing", "list where this image's own layer gets software, from: "+strings.Join(Sources, ", "))
	}
	for _, s := range img.Sources {
		if !slices.Contains(Sources, s) {
			add("sources", fmt.Sprintf("unknown source %q", s), "use only: "+strings.Join(Sources, ", "))
		}
	}
	if len(img.Platforms) == 0 {
		add("platforms", "missing", "list the platforms it builds for, e.g. [linux/amd64, linux/arm64]")
	}
	for _, p := range img.Platforms {
		if !slices.Contains(Platforms, p) {
			add("platforms", fmt.Sprintf("unknown platform %q", p), "use only: "+strings.Join(Platforms, ", "))
		}
	}
	for _, b := range img.Binaries {
		if !slices.Contains(Binaries, b) {
			add("binaries", fmt.Sprintf("unknown binary %q", b), "use only commands of this repository: "+strings.Join(Binaries, ", "))
		}
	}
	if slices.Contains(img.Binaries, "nbinit") && img.From == "" {
		add("binaries", "only the root image (the one with from) carries nbinit", "remove nbinit from binaries; children inherit /init from their parent")
	}
	probs = append(probs, validateInclude(img)...)
	return probs
}

// validateInclude checks that every include names a folder of
// <catalog>/_include/ once, and that the image folder leaves the staged
// _include/ path to the builder.
func validateInclude(img *Image) []Problem {
	var probs []Problem
	add := func(what, fix string) {
		probs = append(probs, Problem{File: img.File, Field: "include", What: what, Fix: fix})
	}
	shared := filepath.Join(filepath.Dir(img.Dir), IncludeDir)
	seen := map[string]bool{}
	for _, n := range img.Include {
		switch {
		case seen[n]:
			add(fmt.Sprintf("%q is listed twice", n), "list each shared folder once")
		case !validName.MatchString(n) || !dirExists(filepath.Join(shared, n)):
			fix := "create " + filepath.Join(shared, n) + "/ or name an existing folder"
			if have := subdirs(shared); len(have) > 0 {
				fix += " of " + shared + ": " + strings.Join(have, ", ")
			}
			add(fmt.Sprintf("unknown include %q", n), fix)
		}
		seen[n] = true
	}
	if len(img.Include) > 0 && fileOrDirExists(filepath.Join(img.Dir, IncludeDir)) {
		add("the image folder has its own "+IncludeDir+"/, where the builder stages the included folders", "rename or move "+filepath.Join(img.Dir, IncludeDir))
	}
	return probs
}

func (c *Catalog) checkParents() []Problem {
	var probs []Problem
	for _, name := range c.names() {
		img := c.Images[name]
		if img.Parent == "" || img.Parent == img.Name {
			continue
		}
		p, ok := c.Images[img.Parent]
		if !ok {
			probs = append(probs, Problem{File: img.File, Field: "parent", What: fmt.Sprintf("unknown image %q", img.Parent),
				Fix: "name an image folder of " + c.Dir + ": " + strings.Join(c.names(), ", ")})
			continue
		}
		if p.undecoded {
			continue // its own problem says why its platforms are unknown
		}
		for _, plat := range img.Platforms {
			if slices.Contains(Platforms, plat) && !slices.Contains(p.Platforms, plat) {
				probs = append(probs, Problem{File: img.File, Field: "platforms", What: fmt.Sprintf("%s is not built by parent %s", plat, p.Name),
					Fix: "remove it here or add it to " + p.File})
			}
		}
	}
	return probs
}

// sortParentsFirst orders the images depth-first from the roots, siblings by
// name, so every listing of the tree is stable. Images that never hang from a
// root sit on a cycle, which is reported with its path.
func (c *Catalog) sortParentsFirst() ([]string, []Problem) {
	var order []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		seen[n] = true
		order = append(order, n)
		for _, ch := range c.names() {
			if c.Images[ch].Parent == n && !seen[ch] {
				visit(ch)
			}
		}
	}
	for _, n := range c.names() {
		if c.Images[n].Parent == "" {
			visit(n)
		}
	}
	var probs []Problem
	reported := map[string]bool{}
	for _, n := range c.names() {
		if seen[n] || reported[n] {
			continue
		}
		path := []string{n}
		p := c.Images[n].Parent
		for ; c.Images[p] != nil && !slices.Contains(path, p); p = c.Images[p].Parent {
			path = append(path, p)
		}
		if c.Images[p] == nil {
			continue // hangs from an unknown parent, reported already
		}
		// The walk may enter the cycle after a tail; report the loop itself.
		start := slices.Index(path, p)
		loop := append(path[start:], path[start])
		for _, m := range loop {
			reported[m] = true
		}
		probs = append(probs, Problem{File: c.Images[loop[0]].File, Field: "parent",
			What: "cycle: " + strings.Join(loop, " -> "), Fix: "one image of the cycle must have a different parent, or from instead"})
		for _, m := range path[:start] {
			reported[m] = true
		}
	}
	return order, probs
}

func (c *Catalog) names() []string {
	out := make([]string, 0, len(c.Images))
	for n := range c.Images {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func fileOrDirExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// subdirs lists the folder names under dir, sorted (none when it is absent).
func subdirs(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// yamlMessage keeps a decoding error on one line and in the file's terms.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	return strings.ReplaceAll(strings.Join(te.Errors, "; "), " in type catalog.spec", "")
}
