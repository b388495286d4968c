package initd_test

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// S6_VERBOSITY=0 leaves only errors; the default (2) names each stage; 3 and
// up name each script and service with its prefix.
func TestVerbosity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		level       string
		want, wantN []string
	}{
		{"0", []string{"nbinit: cont-init/20-noexec: error: "}, []string{"supervising", "stopping the container", "cont-init/10-ok: running"}},
		{"2", []string{"nbinit: services: supervising 0 service(s)", "nbinit: stop: stopping the container: the CMD exit 0"}, []string{"cont-init/10-ok: running"}},
		{"3", []string{"nbinit: cont-init/10-ok: running", "nbinit: cmd: started"}, []string{"cont-init/10-ok: started (pid"}},
		{"4", []string{"nbinit: cont-init/10-ok: started (pid"}, nil},
	} {
		t.Run("S6_VERBOSITY="+tc.level, func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.setenv("S6_VERBOSITY=" + tc.level)
			b.sh("etc/cont-init.d/10-ok", "true")
			b.write("etc/cont-init.d/20-noexec", "#!/bin/sh\n", 0o644)
			r := b.runCmd(b.command("true"), 10*time.Second)
			mustContain(t, r.out, tc.want...)
			for _, n := range tc.wantN {
				if strings.Contains(r.out, n) {
					t.Errorf("output has %q at verbosity %s:\n%s", n, tc.level, r.out)
				}
			}
		})
	}
}

// S6_CMD_RECEIVE_SIGNALS=1 sends SIGTERM to the CMD, whose exit code then
// becomes the container's.
func TestCmdReceiveSignals(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_CMD_RECEIVE_SIGNALS=1")
	cmd := b.command("sh", "-c", `trap 'exit 5' TERM; echo up > "$MARK/up"; while :; do sleep 0.05; done`)
	start := b.startUp(cmd)
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	r := b.wait(cmd, start, 10*time.Second)
	if r.code != 5 {
		t.Errorf("exit %d, want the CMD's 5:\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "forwarding SIGTERM to the CMD (S6_CMD_RECEIVE_SIGNALS=1)")
}
