package initd

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/nbkit/nbkit/internal/initd/helpers"
	"github.com/nbkit/nbkit/internal/initd/stages"
)

// installLinks creates, in each DIR, a symlink to this binary for every
// helper name, replacing what is there (an image's /usr/bin/halt, an older
// s6-overlay /command). It refuses to replace a directory.
func installLinks(dirs []string, stdio stages.Stdio) int {
	if len(dirs) == 0 {
		fmt.Fprintln(stdio.Err, "usage: nbinit install-links DIR... (for example: nbinit install-links /command /usr/bin)")
		return 100
	}
	target, err := self()
	if err != nil {
		fmt.Fprintf(stdio.Err, "nbinit: install-links: finding this binary: %v\n", err)
		return 111
	}
	names := make([]string, 0, len(helpers.Table))
	for n := range helpers.Table {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, dir := range dirs {
		if err := linkAll(dir, target, names); err != nil {
			fmt.Fprintf(stdio.Err, "nbinit: install-links: %v\n", err)
			return 111
		}
		fmt.Fprintf(stdio.Out, "nbinit: linked %d helpers in %s to %s\n", len(names), dir, target)
	}
	return 0
}

func linkAll(dir, target string, names []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("making %s: %w", dir, err)
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if fi, err := os.Lstat(p); err == nil {
			if fi.IsDir() {
				return fmt.Errorf("%s is a directory; remove it so the %s link can be made", p, n)
			}
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("replacing %s: %w", p, err)
			}
		}
		if err := os.Symlink(target, p); err != nil {
			return fmt.Errorf("linking %s: %w", p, err)
		}
	}
	return nil
}
