package initd_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A service whose run exits 7, then dies by SIGUSR1, then whose finish says
// 125: finish gets "7 0 name pgid", then "256 10 name pgid", the restarts are
// at least a second apart, and there is no third run.
func TestServiceFinishArgsRestartSpacingAnd125(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/services.d/svc/run", `
n=$(cat "$MARK/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$MARK/runs"
echo "$1 $(pwd) $$ $(cut -d' ' -f22 /proc/$$/stat)" >> "$MARK/run-log"
if [ $n = 1 ]; then exit 7; fi
kill -USR1 $$
sleep 5`)
	b.sh("etc/services.d/svc/finish", `
echo "$@" >> "$MARK/finish-args"
[ "$1" = 256 ] && exit 125
exit 0`)
	cmd := b.command()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b.out.waitFor(t, "finish exited 125: not restarting", 10*time.Second)
	time.Sleep(1300 * time.Millisecond) // a third run would have started by now
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	r := b.wait(cmd, start, 10*time.Second)
	if r.code != 0 {
		t.Errorf("exit %d, want 0", r.code)
	}
	runs := strings.Split(strings.TrimSpace(b.mark("run-log")), "\n")
	if len(runs) != 2 {
		t.Fatalf("run started %d times, want 2:\n%s", len(runs), r.out)
	}
	var pids [2]string
	var starts [2]int64
	for i, line := range runs {
		f := strings.Fields(line)
		if f[0] != "svc" || f[1] != filepath.Join(b.etc, "services.d", "svc") {
			t.Errorf("run got argument %q in %q, want the service name in its folder", f[0], f[1])
		}
		pids[i] = f[2]
		starts[i], _ = strconv.ParseInt(f[3], 10, 64)
	}
	// Process start times from /proc count clock ticks (USER_HZ, 100 on
	// Linux); one tick of rounding is allowed.
	if gap := starts[1] - starts[0]; gap < 99 {
		t.Errorf("restart came %d ticks after the first start, want >= 100 (1s)", gap)
	}
	want := "7 0 svc " + pids[0] + "\n256 10 svc " + pids[1] + "\n"
	if got := b.mark("finish-args"); got != want {
		t.Errorf("finish arguments:\n%s\nwant:\n%s", got, want)
	}
}

func TestServiceTimeoutFinishAndDown(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/services.d/slow/run", `echo run >> "$MARK/slow-runs"; exit 1`)
	b.sh("etc/services.d/slow/finish", `sleep 30`)
	b.write("etc/services.d/slow/timeout-finish", "200\n", 0o644)
	b.sh("etc/services.d/off/run", `echo started > "$MARK/off"; exec sleep 30`)
	b.write("etc/services.d/off/down", "", 0o644)
	cmd := b.command()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b.out.waitFor(t, "finish still running after 200ms (timeout-finish): killing it", 5*time.Second)
	waitFor(t, func() bool { return strings.Count(b.mark("slow-runs"), "run") >= 2 }, 5*time.Second, "slow restarted after its finish was killed")
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	r := b.wait(cmd, start, 10*time.Second)
	if b.mark("off") != "" {
		t.Errorf("a service with a down file was started")
	}
	mustContain(t, r.out, "services/off: not started: "+filepath.Join(b.etc, "services.d/off/down")+" exists")
}

func TestServiceReadinessGatesCmd(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_CMD_WAIT_FOR_SERVICES=1")
	b.sh("etc/services.d/db/run", `sleep 0.4; echo up > "$MARK/db-ready"; echo >&3; exec sleep 30`)
	b.write("etc/services.d/db/notification-fd", "3\n", 0o644)
	r := b.runCmd(b.command("sh", "-c", `cat "$MARK/db-ready"`), 20*time.Second)
	if r.code != 0 {
		t.Errorf("the CMD ran before the service was ready (exit %d):\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "services/db: ready (pid")
}

func TestServiceNotReadyInTimeStopsWithBehaviour2(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_CMD_WAIT_FOR_SERVICES=1", "S6_CMD_WAIT_FOR_SERVICES_MAXTIME=300", "S6_BEHAVIOUR_IF_STAGE2_FAILS=2")
	b.sh("etc/services.d/never/run", `exec sleep 30`)
	b.write("etc/services.d/never/notification-fd", "5", 0o644)
	r := b.runCmd(b.command("sh", "-c", `echo ran > "$MARK/cmd"`), 20*time.Second)
	if r.code == 0 || b.mark("cmd") != "" {
		t.Errorf("exit %d and CMD ran=%v; want a non-zero exit without the CMD:\n%s", r.code, b.mark("cmd") != "", r.out)
	}
	mustContain(t, r.out, "not ready after S6_CMD_WAIT_FOR_SERVICES_MAXTIME=300: never")
}

// A finish script stops the container with a code, the s6-overlay way.
func TestHaltFromFinishWithExitCode(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/services.d/app/run", `exit 1`)
	b.withContenv("etc/services.d/app/finish", `
echo 42 > "$NBINIT_RUNDIR/s6-linux-init-container-results/exitcode"
exec "$NBINIT_RUNDIR/s6/basedir/bin/halt"`)
	r := b.runCmd(b.command(), 20*time.Second)
	if r.code != 42 {
		t.Errorf("exit %d, want 42:\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "stopping the container: halt was called")
}

func waitFor(t *testing.T, cond func() bool, timeout time.Duration, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out after %v waiting until %s", timeout, what)
}
