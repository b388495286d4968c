package contenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Dump writes env into dir, one file per variable, so that Load with Full
// gives back exactly env: the value as-is, plus one newline when the value is
// empty or itself ends in a newline (Full strips one trailing newline, and an
// empty file means "unset").
func Dump(dir string, env []string) error {
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !validName(name) {
			continue
		}
		if value == "" || strings.HasSuffix(value, "\n") {
			value += "\n"
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(value), 0o644); err != nil {
			return fmt.Errorf("recording %s: %w", name, err)
		}
	}
	return nil
}

// validName rejects names a file in the folder cannot carry or that s6-envdir
// skips.
func validName(name string) bool {
	return name != "" && !strings.HasPrefix(name, ".") && !strings.ContainsAny(name, "/=\x00")
}
