package execdiag

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrNotFound means a command without a slash is not in PATH.
var ErrNotFound = errors.New("not found in PATH")

// LookPath finds file in the directories of path (the PATH of the
// environment the program will get, not nbinit's own). Names with a slash are
// returned as they are; exec reports whether they exist.
func LookPath(file, path string) (string, error) {
	if strings.Contains(file, "/") {
		return file, nil
	}
	var denied string
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, file)
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() {
			continue
		}
		if syscall.Access(p, 1 /* X_OK */) == nil {
			return p, nil
		}
		if denied == "" {
			denied = p
		}
	}
	if denied != "" {
		// Let exec fail on it so the caller reports "not executable" (126).
		return denied, nil
	}
	return "", fmt.Errorf("%s: %w (PATH=%s)", file, ErrNotFound, path)
}
