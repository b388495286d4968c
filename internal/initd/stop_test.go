package initd_test

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// Stop order: services get SIGTERM and are waited for, then cont-finish.d
// runs, then every remaining process gets SIGTERM and, if it ignores it,
// SIGKILL after S6_KILL_GRACETIME.
func TestStopOrderAndGrace(t *testing.T) {
	t.Parallel()
	for _, pid1 := range []bool{false, true} {
		t.Run(map[bool]string{false: "subreaper", true: "PID 1"}[pid1], func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.setenv("S6_KILL_GRACETIME=400", "S6_SERVICES_GRACETIME=2000")
			// A stray process that outlives its cont-init script and ignores SIGTERM.
			b.sh("etc/cont-init.d/10-stray", `(trap '' TERM; exec sleep 60) >/dev/null 2>&1 &
echo $! > "$MARK/stray"`)
			b.sh("etc/services.d/svc/run", `trap 'echo svc-term >> "$MARK/order"; exit 0' TERM
echo up > "$MARK/up"
while :; do sleep 0.05; done`)
			b.sh("etc/cont-finish.d/10-last", `echo cont-finish >> "$MARK/order"; kill -0 $(cat "$MARK/stray") && echo stray-alive >> "$MARK/order"`)
			cmd, pid, start := b.launch(pid1)
			waitFile(t, b.tmp+"/up", 5*time.Second)
			signal(t, pid, syscall.SIGTERM)
			sent := time.Now()
			r := b.wait(cmd, start, 10*time.Second)
			took := time.Since(sent)
			if got := strings.Fields(b.mark("order")); strings.Join(got, ",") != "svc-term,cont-finish,stray-alive" {
				t.Errorf("stop order %v, want svc-term,cont-finish,stray-alive:\n%s", got, r.out)
			}
			mustContain(t, r.out, "still running after S6_KILL_GRACETIME=400: sending SIGKILL")
			if took < 400*time.Millisecond || took > 2*time.Second {
				t.Errorf("stop took %v, want the 400ms kill grace and little more", took)
			}
			// Under PID 1 the stray's pid is the namespace's; the namespace is gone anyway.
			if stray := strings.TrimSpace(b.mark("stray")); !pid1 && alive(stray) {
				t.Errorf("stray process %s survived the stop", stray)
			}
		})
	}
}

// A service that ignores SIGTERM is killed after S6_SERVICES_GRACETIME.
func TestStopServicesGrace(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_SERVICES_GRACETIME=300")
	b.sh("etc/services.d/stubborn/run", `trap '' TERM; echo up > "$MARK/up"; while :; do sleep 0.05; done`)
	cmd := b.command()
	start := b.startUp(cmd)
	signal(t, cmd.Process.Pid, syscall.SIGINT)
	r := b.wait(cmd, start, 10*time.Second)
	mustContain(t, r.out, "received SIGINT", "still running after S6_SERVICES_GRACETIME=300: sending SIGKILL")
}

// An idle container stops as soon as its processes are gone, not after a
// fixed grace sleep.
func TestStopIsFastWhenIdle(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/services.d/idle/run", `echo up > "$MARK/up"; exec sleep 60`)
	cmd := b.command()
	start := b.startUp(cmd)
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	sent := time.Now()
	r := b.wait(cmd, start, 10*time.Second)
	if took := time.Since(sent); took > 500*time.Millisecond {
		t.Errorf("idle stop took %v, want well under the 3s grace time:\n%s", took, r.out)
	}
	if r.code != 0 {
		t.Errorf("exit %d, want 0", r.code)
	}
}

func TestSIGHUPIsIgnored(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/services.d/idle/run", `echo up > "$MARK/up"; exec sleep 60`)
	cmd := b.command()
	start := b.startUp(cmd)
	signal(t, cmd.Process.Pid, syscall.SIGHUP)
	b.out.waitFor(t, "SIGHUP ignored", 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	if strings.Contains(b.out.String(), "stopping the container") {
		t.Fatalf("SIGHUP stopped the container:\n%s", b.out)
	}
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	b.wait(cmd, start, 10*time.Second)
}

// A stop during cont-init interrupts the running script and skips the rest.
func TestStopDuringContInit(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.sh("etc/cont-init.d/10-long", `echo up > "$MARK/up"; exec sleep 60`)
	b.sh("etc/cont-init.d/20-next", `echo ran > "$MARK/next"`)
	cmd := b.command("true")
	start := b.startUp(cmd)
	signal(t, cmd.Process.Pid, syscall.SIGTERM)
	r := b.wait(cmd, start, 10*time.Second)
	if b.mark("next") != "" {
		t.Errorf("a cont-init script ran after the stop:\n%s", r.out)
	}
	mustContain(t, r.out, "cont-init/10-long: interrupted by the stop")
}

func alive(pid string) bool {
	var n int
	for _, c := range pid {
		n = n*10 + int(c-'0')
	}
	if n <= 0 {
		return false
	}
	return syscall.Kill(n, 0) == nil
}

// A hanging cont-finish script is killed after S6_KILL_FINISH_MAXTIME and the
// next one still runs.
func TestKillFinishMaxtime(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("S6_KILL_FINISH_MAXTIME=200")
	b.sh("etc/cont-finish.d/10-hang", `sleep 30`)
	b.sh("etc/cont-finish.d/20-next", `echo ran > "$MARK/next"`)
	r := b.runCmd(b.command("true"), 10*time.Second)
	if b.mark("next") == "" {
		t.Errorf("the script after the hanging one did not run:\n%s", r.out)
	}
	if r.took > 3*time.Second {
		t.Errorf("stop took %v despite S6_KILL_FINISH_MAXTIME=200", r.took)
	}
	mustContain(t, r.out, "cont-finish/10-hang: warning: still running after 200ms: killing it")
}
