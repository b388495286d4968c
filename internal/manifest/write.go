package manifest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

var headings = map[string]string{"debian": "Debian packages", "python": "Python packages", "r": "R packages", "npm": "npm global packages"}

// WriteFiles writes <dir>/<image>.json and <dir>/<image>.md.
func (m *Manifest) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing manifest: %w", err)
	}
	for ext, write := range map[string]func(io.Writer) error{".json": m.WriteJSON, ".md": m.WriteMarkdown} {
		f, err := os.Create(filepath.Join(dir, m.Image+ext))
		if err != nil {
			return fmt.Errorf("writing manifest: %w", err)
		}
		err = write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing manifest %s: %w", f.Name(), err)
		}
	}
	return nil
}

// WriteJSON writes the manifest for tools (and for Diff).
func (m *Manifest) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteMarkdown writes the manifest for people: one table per ecosystem.
func (m *Manifest) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", m.Image)
	fmt.Fprintf(&b, "- reference: `%s`\n- image ID: `%s`\n- size: %s\n", m.Ref, m.ImageID, HumanSize(m.Size))
	for _, eco := range Ecosystems {
		list := m.List(eco)
		if len(list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s (%d)\n\n| package | version |\n|---|---|\n", headings[eco], len(list))
		for _, p := range list {
			fmt.Fprintf(&b, "| %s | %s |\n", p.Name, p.Version)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// HumanSize formats bytes in decimal units, as `docker images` does.
func HumanSize(n int64) string {
	const unit = 1000
	f := float64(n)
	for _, u := range []string{"B", "kB", "MB", "GB"} {
		if f < unit || u == "GB" {
			if u == "B" {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f %s", f, u)
		}
		f /= unit
	}
	return ""
}
