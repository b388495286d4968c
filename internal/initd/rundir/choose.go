package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Choose returns preferred when the s6 folders can be made and written there
// (either the directory itself is writable, or an image pre-created
// preferred/s6 and preferred/s6-linux-init-container-results writable by the
// user), else a private fallback under tmpdir. fellBack tells the caller to
// announce it.
func Choose(preferred, tmpdir string) (d Dir, fellBack bool, err error) {
	if usable(Dir(preferred)) {
		return Dir(preferred), false, nil
	}
	fb := Fallback(tmpdir)
	if err := os.Mkdir(fb, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", true, fmt.Errorf("making private runtime dir %s: %w", fb, err)
	}
	fi, err := os.Lstat(fb)
	if err != nil {
		return "", true, fmt.Errorf("checking private runtime dir %s: %w", fb, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !fi.IsDir() || !ok || int(st.Uid) != os.Geteuid() {
		return "", true, fmt.Errorf("private runtime dir %s is not a directory owned by uid %d; remove it", fb, os.Geteuid())
	}
	if !usable(Dir(fb)) {
		return "", true, fmt.Errorf("private runtime dir %s is not writable", fb)
	}
	return Dir(fb), true, nil
}

// Fallback is the private runtime directory of the current user under tmpdir.
func Fallback(tmpdir string) string {
	if tmpdir == "" {
		tmpdir = "/tmp"
	}
	return filepath.Join(tmpdir, "nbinit-"+strconv.Itoa(os.Geteuid()))
}

func usable(d Dir) bool {
	for _, dir := range []string{filepath.Dir(d.EnvDir()), filepath.Dir(d.ExitCodeFile())} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false
		}
		if syscall.Access(dir, 2 /* W_OK */) != nil {
			return false
		}
	}
	return true
}

// Find locates the runtime directory of the running nbinit for the helpers
// (with-contenv, printcontenv, halt): the one named by NBINIT_RUNDIR, else
// /run, else the private fallback of this user.
func Find() Dir {
	candidates := []string{os.Getenv(EnvVar), Default, Fallback(os.Getenv("TMPDIR")), Fallback("/tmp")}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(Dir(c).EnvDir()); err == nil && fi.IsDir() {
			return Dir(c)
		}
	}
	return Default
}
