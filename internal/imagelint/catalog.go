package imagelint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Meta is images/<name>/image.yaml, in the format `nbkit build` reads.
type Meta struct {
	Description string            `yaml:"description"`
	Parent      string            `yaml:"parent"`
	From        string            `yaml:"from"`
	IDE         string            `yaml:"ide"`
	Sources     []string          `yaml:"sources"`
	Platforms   []string          `yaml:"platforms"`
	BuildArgs   map[string]string `yaml:"build_args"`
	Binaries    []string          `yaml:"binaries"`
}

// Image is one folder of the tree.
type Image struct {
	Name string
	Dir  string
	Meta Meta
}

var (
	knownIDEs      = []string{"jupyterlab", "codeserver", "rstudio", "none"}
	knownSources   = []string{"debian", "npm", "pypi", "github", "open-vsx", "posit", "nvidia", "habana"}
	offlineSources = []string{"debian", "npm"}
	knownPlatforms = []string{"linux/amd64", "linux/arm64"}
)

// Load reads every image folder under dir (a folder counts when it holds an
// image.yaml or a Dockerfile). Decoding problems are findings, not errors;
// the error is for an unreadable tree.
func Load(dir string) ([]Image, []Finding, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading image tree: %w", err)
	}
	var images []Image
	var findings []Finding
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		d := filepath.Join(dir, name)
		if !exists(filepath.Join(d, "image.yaml")) && !exists(filepath.Join(d, "Dockerfile")) {
			continue
		}
		img := Image{Name: name, Dir: d}
		rel := name + "/image.yaml"
		raw, err := os.ReadFile(filepath.Join(d, "image.yaml"))
		switch {
		case errors.Is(err, os.ErrNotExist):
			findings = append(findings, Finding{Image: name, File: rel, Rule: RuleCatalog, Msg: "missing; every image folder needs an image.yaml (description, parent or from, ide, sources, platforms)"})
		case err != nil:
			return nil, nil, fmt.Errorf("reading %s: %w", rel, err)
		default:
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			if err := dec.Decode(&img.Meta); err != nil && !errors.Is(err, io.EOF) {
				findings = append(findings, Finding{Image: name, File: rel, Rule: RuleCatalog, Msg: fmt.Sprintf("does not decode: %v", err)})
			}
		}
		images = append(images, img)
	}
	sort.Slice(images, func(i, j int) bool { return images[i].Name < images[j].Name })
	return images, findings, nil
}

// checkMeta validates one image.yaml on its own and against its parent.
func checkMeta(img Image, byName map[string]Image) []Finding {
	m := img.Meta
	file := img.Name + "/image.yaml"
	var out []Finding
	bad := func(format string, args ...any) {
		out = append(out, Finding{Image: img.Name, File: file, Rule: RuleCatalog, Msg: fmt.Sprintf(format, args...)})
	}
	if m.Description == "" {
		bad("field description is empty; say in one line what the image adds")
	}
	switch {
	case m.Parent == "" && m.From == "":
		bad("neither parent nor from is set; give the parent image folder (parent: jupyter), or for the root image the OS base (from: debian:trixie-slim)")
	case m.Parent != "" && m.From != "":
		bad("both parent (%q) and from (%q) are set; keep exactly one", m.Parent, m.From)
	case m.Parent != "":
		if _, ok := byName[m.Parent]; !ok {
			out = append(out, Finding{Image: img.Name, File: file, Rule: RuleTree, Msg: fmt.Sprintf("field parent names %q, which is not an image folder under images/", m.Parent)})
		}
	}
	if slices.Contains(m.Binaries, "nbinit") && m.From == "" {
		bad("binaries lists nbinit, which is only for the root image (the one with from:); children inherit /init")
	}
	if !slices.Contains(knownIDEs, m.IDE) {
		bad("field ide is %q; use one of %v", m.IDE, knownIDEs)
	}
	if len(m.Sources) == 0 {
		bad("field sources is empty; list where this image's own layer downloads from (%v)", knownSources)
	}
	for _, s := range m.Sources {
		if !slices.Contains(knownSources, s) {
			bad("field sources has unknown source %q; use a subset of %v", s, knownSources)
		}
	}
	if len(m.Platforms) == 0 {
		bad("field platforms is empty; list the platforms the image builds for (%v)", knownPlatforms)
	}
	for _, p := range m.Platforms {
		if !slices.Contains(knownPlatforms, p) {
			bad("field platforms has %q; use a subset of %v", p, knownPlatforms)
		}
	}
	if parent, ok := byName[m.Parent]; ok {
		for _, p := range m.Platforms {
			if !slices.Contains(parent.Meta.Platforms, p) {
				bad("field platforms has %s, which the parent %s is not built for; drop it or add it to the parent", p, m.Parent)
			}
		}
	}
	return out
}

// checkCycles reports every image whose parent chain loops.
func checkCycles(images []Image, byName map[string]Image) []Finding {
	var out []Finding
	for _, img := range images {
		seen := map[string]bool{img.Name: true}
		for cur := img.Meta.Parent; cur != ""; cur = byName[cur].Meta.Parent {
			if seen[cur] {
				out = append(out, Finding{Image: img.Name, File: img.Name + "/image.yaml", Rule: RuleTree, Msg: fmt.Sprintf("parent chain of %s loops through %s; the tree must end at an image with from:", img.Name, cur)})
				break
			}
			seen[cur] = true
		}
	}
	return out
}

// Offline reports whether the image and all its ancestors only need sources
// reachable from an air-gapped mirror (debian, npm).
func Offline(name string, byName map[string]Image) bool {
	seen := map[string]bool{}
	for cur := name; cur != "" && !seen[cur]; cur = byName[cur].Meta.Parent {
		seen[cur] = true
		img, ok := byName[cur]
		if !ok {
			return false
		}
		for _, s := range img.Meta.Sources {
			if !slices.Contains(offlineSources, s) {
				return false
			}
		}
	}
	return true
}

func index(images []Image) map[string]Image {
	m := make(map[string]Image, len(images))
	for _, img := range images {
		m[img.Name] = img
	}
	return m
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
