package stages

import (
	"os"
	"strconv"
	"strings"

	"github.com/nbkit/nbkit/internal/initd/logline"
)

// recordExitCode writes code where halt and s6-overlay scripts expect it.
func (in *initProc) recordExitCode(code int) {
	if err := os.WriteFile(in.dir.ExitCodeFile(), []byte(strconv.Itoa(code)+"\n"), 0o644); err != nil {
		in.log.Logf(logline.Error, "stop", "", "recording exit code %d: %v", code, err)
	}
}

// exitCode reads the recorded exit code, as s6-overlay does at the very end.
func (in *initProc) exitCode() int {
	b, err := os.ReadFile(in.dir.ExitCodeFile())
	if err != nil {
		in.log.Logf(logline.Warn, "stop", "", "reading the exit code: %v; exiting 0", err)
		return 0
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		in.log.Logf(logline.Warn, "stop", "", "%s holds %q, not an exit code from 0 to 255; exiting 1", in.dir.ExitCodeFile(), s)
		return 1
	}
	return n & 0xff
}
