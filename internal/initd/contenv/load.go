package contenv

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Clamp is how much of a file s6-envdir reads without -L.
const Clamp = 4096

// Options are s6-envdir's flags.
type Options struct {
	Full    bool // -f: the whole file is the value, not only its first line
	NoChomp bool // -n: keep the trailing newline (-f) or trailing blanks
	NoClamp bool // -L: read files of any size
	NullIs  byte // -c: what NUL bytes become; 0 means newline
}

// WithContenv are the options s6-overlay's with-contenv uses (s6-envdir -Lf):
// multi-line values and values over 4 KiB are kept whole.
var WithContenv = Options{Full: true, NoClamp: true}

// Load applies the folder dir to env as s6-envdir does: an empty file unsets
// its variable, any other file sets it. Files starting with a dot or with '='
// in their name are skipped.
func Load(dir string, env Env, o Options) (Env, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading environment folder %s: %w", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if validName(e.Name()) && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		value, set, err := readValue(filepath.Join(dir, name), o)
		if err != nil {
			return nil, err
		}
		if set {
			env = env.Set(name, value)
		} else {
			env = env.Unset(name)
		}
	}
	return env, nil
}

func readValue(path string, o Options) (value string, set bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	var r io.Reader = f
	if !o.NoClamp {
		r = io.LimitReader(f, Clamp)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) == 0 {
		return "", false, nil
	}
	if o.Full {
		if !o.NoChomp {
			b = bytes.TrimSuffix(b, []byte("\n"))
		}
	} else {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[:i]
		}
		if !o.NoChomp {
			b = bytes.TrimRight(b, " \t")
		}
	}
	nul := o.NullIs
	if nul == 0 {
		nul = '\n'
	}
	b = bytes.ReplaceAll(b, []byte{0}, []byte{nul})
	return string(b), true, nil
}
