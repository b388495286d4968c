package manifest

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Package is one installed package.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Manifest is what one image contains.
type Manifest struct {
	Image   string    `json:"image"` // catalog name
	Ref     string    `json:"ref"`
	ImageID string    `json:"image_id"`
	Size    int64     `json:"size_bytes"`
	Debian  []Package `json:"debian"`
	Python  []Package `json:"python"`
	R       []Package `json:"r"`
	NPM     []Package `json:"npm"`
}

// Ecosystems names the package lists of a manifest, in display order.
var Ecosystems = []string{"debian", "python", "r", "npm"}

// List returns the package list of one ecosystem.
func (m *Manifest) List(eco string) []Package {
	switch eco {
	case "debian":
		return m.Debian
	case "python":
		return m.Python
	case "r":
		return m.R
	case "npm":
		return m.NPM
	}
	return nil
}

// Read loads a manifest written by WriteJSON.
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reading manifest %s: %w", path, err)
	}
	return &m, nil
}

func sortPackages(p []Package) {
	sort.Slice(p, func(i, j int) bool {
		if p[i].Name != p[j].Name {
			return p[i].Name < p[j].Name
		}
		return p[i].Version < p[j].Version
	})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
