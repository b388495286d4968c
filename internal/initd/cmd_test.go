package initd_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCmdExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cmd  func(b *box) []string
		want int
		log  string
	}{
		{"success", func(*box) []string { return []string{"true"} }, 0, ""},
		{"exit 3", func(*box) []string { return []string{"sh", "-c", "exit 3"} }, 3, ""},
		{"not executable", func(b *box) []string {
			return []string{b.write("work/notexec", "#!/bin/sh\n", 0o644)}
		}, 126, "notexec is not executable"},
		{"not found", func(*box) []string { return []string{"no-such-command-xyz"} }, 127, "no-such-command-xyz: not found in PATH"},
		{"killed by SIGKILL", func(*box) []string { return []string{"sh", "-c", "kill -9 $$"} }, 137, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			r := b.runCmd(b.command(tc.cmd(b)...), 20*time.Second)
			if r.code != tc.want {
				t.Errorf("exit %d, want %d:\n%s", r.code, tc.want, r.out)
			}
			mustContain(t, r.out, tc.log)
		})
	}
}

// The CMD gets S6_CMD_ARG0 in front, the working directory nbinit started
// in, and the container environment including what cont-init added.
func TestCmdArg0WorkdirAndEnvironment(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_CMD_ARG0=sh -c", "FROM_DOCKER=yes")
	b.withContenv("etc/cont-init.d/10-add", `printf 'from-cont-init' > "$NBINIT_RUNDIR/s6/container_environment/ADDED"`)
	r := b.runCmd(b.command(`echo "$(pwd) $FROM_DOCKER $ADDED" > "$MARK/cmd"`), 20*time.Second)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.out)
	}
	if got, want := strings.TrimSpace(b.mark("cmd")), filepath.Join(b.root, "work")+" yes from-cont-init"; got != want {
		t.Errorf("CMD saw %q, want %q", got, want)
	}
}
