package catalog

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText draws the tree with box-drawing branches, one image a line, with
// its IDE, its own sources, and whether it builds offline.
func (c *Catalog) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IMAGE\tIDE\tSOURCES\tOFFLINE\tPLATFORMS")
	var walk func(img *Image, prefix, branch string)
	walk = func(img *Image, prefix, branch string) {
		offline := "no"
		if ok, _ := c.Offline(img.Name); ok {
			offline = "yes"
		}
		name := img.Name
		if img.From != "" {
			name += " (from " + img.From + ")"
		}
		fmt.Fprintf(tw, "%s%s%s\t%s\t%s\t%s\t%s\n", prefix, branch, name, img.IDE,
			strings.Join(img.Sources, ","), offline, strings.Join(img.Platforms, ","))
		kids := c.Children(img.Name)
		childPrefix := prefix
		switch branch {
		case "├── ":
			childPrefix += "│   "
		case "└── ":
			childPrefix += "    "
		}
		for i, k := range kids {
			b := "├── "
			if i == len(kids)-1 {
				b = "└── "
			}
			walk(k, childPrefix, b)
		}
	}
	for _, img := range c.Order() {
		if img.Parent == "" {
			walk(img, "", "")
		}
	}
	return tw.Flush()
}

// WriteMermaid draws the tree as the seed page's chart does (graph TD, forest
// theme, short labels), with offline images in a class of their own.
func (c *Catalog) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("%%{init: {'theme':'forest'}}%%\ngraph TD\n")
	var offline []string
	for _, img := range c.Order() {
		if ok, _ := c.Offline(img.Name); ok {
			offline = append(offline, img.Name)
		}
		if img.Parent == "" {
			fmt.Fprintf(&b, "  %s[%s]\n", img.Name, mermaidLabel(img))
			continue
		}
		fmt.Fprintf(&b, "  %s --> %s[%s]\n", img.Parent, img.Name, mermaidLabel(img))
	}
	if len(offline) > 0 {
		b.WriteString("\n  classDef offline stroke-width:3px\n")
		fmt.Fprintf(&b, "  class %s offline\n", strings.Join(offline, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Words of image names and how the seed's chart spells them.
var labelWords = map[string]string{
	"base": "Base", "jupyter": "Jupyter", "codeserver": "code-server", "rstudio": "RStudio",
	"pytorch": "PyTorch", "tensorflow": "TensorFlow", "scipy": "SciPy", "cuda": "CUDA",
	"gaudi": "Gaudi", "full": "Full", "python": "Conda Python", "tidyverse": "Tidyverse",
}

// mermaidLabel names a child by what it adds to its family ("jupyter-pytorch"
// is "PyTorch"), as the chart does: the edge already says it is a Jupyter.
func mermaidLabel(img *Image) string {
	words := strings.Split(img.Name, "-")
	if img.Parent != "" && len(words) > 1 {
		words = words[1:]
	}
	for i, w := range words {
		if l, ok := labelWords[w]; ok {
			words[i] = l
		} else if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// jsonImage is the stable JSON form of one image for tools.
type jsonImage struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Parent      string            `json:"parent,omitempty"`
	From        string            `json:"from,omitempty"`
	IDE         string            `json:"ide"`
	ServerType  string            `json:"server_type,omitempty"`
	Sources     []string          `json:"sources"`
	AllSources  []string          `json:"all_sources"`
	Offline     bool              `json:"offline"`
	Platforms   []string          `json:"platforms"`
	BuildArgs   map[string]string `json:"build_args,omitempty"`
	Binaries    []string          `json:"binaries,omitempty"`
	Include     []string          `json:"include,omitempty"`
	Children    []string          `json:"children"`
}

// WriteJSON lists every image parents-first with its resolved sources.
func (c *Catalog) WriteJSON(w io.Writer) error {
	out := []jsonImage{}
	for _, img := range c.Order() {
		ok, _ := c.Offline(img.Name)
		kids := []string{}
		for _, k := range c.Children(img.Name) {
			kids = append(kids, k.Name)
		}
		out = append(out, jsonImage{
			Name: img.Name, Description: img.Description, Parent: img.Parent, From: img.From,
			IDE: img.IDE, ServerType: ServerType(img.IDE), Sources: img.Sources,
			AllSources: c.AllSources(img.Name), Offline: ok, Platforms: img.Platforms,
			BuildArgs: img.BuildArgs, Binaries: img.Binaries, Include: img.Include, Children: kids,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
