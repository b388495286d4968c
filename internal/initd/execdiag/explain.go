package execdiag

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// Code is the shell's exit code for a program that could not be run: 127
// when it (or its interpreter) is missing, 126 when it cannot be executed.
func Code(err error) int {
	if errors.Is(err, ErrNotFound) || errors.Is(err, syscall.ENOENT) {
		return 127
	}
	return 126
}

// Explain describes why exec of path failed with err, and how to fix it.
func Explain(path string, err error) string {
	if errors.Is(err, ErrNotFound) {
		return fmt.Sprintf("%v; install it or use its full path", err)
	}
	fi, statErr := os.Stat(path)
	if statErr != nil {
		return fmt.Sprintf("%s does not exist", path)
	}
	if fi.IsDir() {
		return fmt.Sprintf("%s is a directory, not a program", path)
	}
	line, hasShebang := shebang(path)
	switch {
	case errors.Is(err, syscall.EACCES):
		if fi.Mode().Perm()&0o111 == 0 {
			return fmt.Sprintf("%s is not executable; fix: chmod +x %s (or `RUN chmod +x` in the Dockerfile)", path, path)
		}
		if syscall.Access(path, 1) != nil {
			return fmt.Sprintf("%s is not executable by uid %d (mode %v); make it executable for everyone: chmod a+rx %s", path, os.Geteuid(), fi.Mode().Perm(), path)
		}
		if hasShebang {
			if interp := interpreter(line); interp != "" {
				return fmt.Sprintf("the interpreter %s named on the #! line of %s is not executable", interp, path)
			}
		}
		return fmt.Sprintf("%s cannot be executed (permission denied; is it on a noexec mount?)", path)
	case errors.Is(err, syscall.ENOENT):
		if hasShebang {
			if strings.HasSuffix(line, "\r") {
				return fmt.Sprintf("%s has Windows (CRLF) line endings: its #! line asks for %q; fix: sed -i 's/\\r$//' %s (or dos2unix)", path, strings.TrimPrefix(line, "#!"), path)
			}
			interp := interpreter(line)
			if _, e := os.Stat(interp); e != nil {
				return fmt.Sprintf("the interpreter %s named on the #! line of %s does not exist; install it or fix the #! line", interp, path)
			}
			if rest := strings.Fields(strings.TrimPrefix(line, "#!")); len(rest) > 1 {
				return fmt.Sprintf("%s runs %s, which could not find %q; check that it is installed and in PATH", path, interp, rest[1])
			}
		}
		return fmt.Sprintf("%s exists but cannot be started: a library or dynamic loader it needs is missing (built for another system?)", path)
	case errors.Is(err, syscall.ENOEXEC):
		return fmt.Sprintf("%s has no #! line and is not a program for this machine; add #!/bin/sh as its first line", path)
	case errors.Is(err, syscall.ETXTBSY):
		return fmt.Sprintf("%s is being written by another process; retry once it is complete", path)
	}
	return fmt.Sprintf("running %s: %v", path, err)
}

// shebang returns the first line of path when it starts with #!.
func shebang(path string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, _ := f.Read(buf)
	buf = buf[:n]
	if !bytes.HasPrefix(buf, []byte("#!")) {
		return "", false
	}
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i]
	}
	return string(buf), true
}

func interpreter(line string) string {
	f := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
