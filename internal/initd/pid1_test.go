package initd_test

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// countZombies is a shell snippet printing how many zombies exist in the PID
// namespace (its /proc is the namespace's own).
const countZombies = `grep -l '^State:[[:space:]]*Z' /proc/[0-9]*/status 2>/dev/null | wc -l`

// Hundreds of orphans (double forks whose parent exits at once) are all
// reaped by nbinit as PID 1: no zombie is left.
func TestPID1ReapsHundredsOfOrphans(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	script := `i=0; while [ $i -lt 300 ]; do (sleep 0.2 &); i=$((i+1)); done
sleep 1
echo "$(ls -d /proc/[0-9]* | wc -l) $(` + countZombies + `)" > "$MARK/after"`
	r := b.runCmd(b.pid1Command("sh", "-c", script), 30*time.Second)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.out)
	}
	f := strings.Fields(b.mark("after"))
	if len(f) != 2 || f[1] != "0" {
		t.Errorf("processes, zombies after 300 orphans exited = %v, want 0 zombies", f)
	}
	mustContain(t, r.out, "nbinit: services: supervising 0 service(s)")
	if strings.Contains(r.out, "not PID 1") {
		t.Errorf("nbinit did not run as PID 1:\n%s", r.out)
	}
}

// The same as a subreaper (not PID 1): orphans below nbinit are reaped too.
func TestSubreaperReapsOrphans(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	script := `i=0; while [ $i -lt 200 ]; do (sleep 0.2 &); i=$((i+1)); done
sleep 1
z=0; for c in $(cat /proc/$PPID/task/*/children); do grep -q '^State:[[:space:]]*Z' /proc/$c/status 2>/dev/null && z=$((z+1)); done
echo $z > "$MARK/zombies"`
	r := b.runCmd(b.command("sh", "-c", script), 30*time.Second)
	if got := strings.TrimSpace(b.mark("zombies")); got != "0" {
		t.Errorf("zombie children of nbinit: %q, want 0:\n%s", got, r.out)
	}
	mustContain(t, r.out, "not PID 1: acting as a child subreaper")
}

// As PID 1 with the real /run: the s6-overlay paths work, and SIGTERM and
// SIGHUP behave.
func TestPID1RunPathsHaltAndSignals(t *testing.T) {
	t.Parallel()
	t.Run("finish halts with a code through /run", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		b.sh("etc/services.d/app/run", `exit 1`)
		b.withContenv("etc/services.d/app/finish", `
echo 42 > /run/s6-linux-init-container-results/exitcode
exec /run/s6/basedir/bin/halt`)
		r := b.runCmd(b.pid1Command(), 20*time.Second)
		if r.code != 42 {
			t.Errorf("exit %d, want 42:\n%s", r.code, r.out)
		}
	})
	t.Run("CMD exit code and /run/s6/container_environment", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		b.setenv("FOO=bar")
		r := b.runCmd(b.pid1Command("sh", "-c", `[ "$(cat /run/s6/container_environment/FOO)" = bar ] && [ $$ != 1 ] && exit 3`), 20*time.Second)
		if r.code != 3 {
			t.Errorf("exit %d, want 3:\n%s", r.code, r.out)
		}
	})
	t.Run("SIGHUP ignored, SIGTERM stops fast", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		b.sh("etc/services.d/idle/run", `echo up > "$MARK/up"; exec sleep 60`)
		cmd := b.pid1Command()
		start := b.startUp(cmd)
		pid := initPid(t, cmd)
		signal(t, pid, syscall.SIGHUP)
		b.out.waitFor(t, "SIGHUP ignored", 5*time.Second)
		signal(t, pid, syscall.SIGTERM)
		sent := time.Now()
		r := b.wait(cmd, start, 10*time.Second)
		if took := time.Since(sent); took > time.Second {
			t.Errorf("stop took %v:\n%s", took, r.out)
		}
		if r.code != 0 || strings.Count(r.out, "stopping the container") != 1 {
			t.Errorf("exit %d; want one stop, caused by SIGTERM:\n%s", r.code, r.out)
		}
	})
}

// `docker restart` keeps the container's files: a second start must not see
// the first run's environment folder or exit code.
func TestRestartStartsClean(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.withContenv("etc/cont-init.d/10-add", `[ -n "$ONCE" ] && echo leaked > "$NBINIT_RUNDIR/s6/container_environment/ADDED"; true`)
	first := b.command("sh", "-c", "exit 3")
	first.Env = append(first.Env, "ONCE=1")
	if r := b.runCmd(first, 10*time.Second); r.code != 3 {
		t.Fatalf("first run exit %d, want 3:\n%s", r.code, r.out)
	}
	b.withContenv("etc/services.d/halter/run", `echo "${ADDED-unset} ${ONCE-unset}" > "$MARK/second"; halt; exec sleep 10`)
	r := b.runCmd(b.command(), 10*time.Second)
	if r.code != 0 {
		t.Errorf("second run exit %d, want 0 (the first run's code must not stay):\n%s", r.code, r.out)
	}
	if got := strings.TrimSpace(b.mark("second")); got != "unset unset" {
		t.Errorf("second run saw %q from the first run's environment", got)
	}
}

// The finish script docs/nbinit.md gives image authors: a crash stops the
// container with the service's code, a docker stop still exits 0.
const docsFinish = `#!/bin/sh
# $1 = exit code of run (256 if killed by a signal), $2 = the signal
if [ "$1" -eq 256 ]; then
  [ "$2" -eq 15 ] && exit 0   # SIGTERM: the container is being stopped already
  code=$((128 + $2))
else
  code=$1
fi
echo "$code" > /run/s6-linux-init-container-results/exitcode
exec /run/s6/basedir/bin/halt
`

func TestDocsFinishExample(t *testing.T) {
	t.Parallel()
	t.Run("service crashes", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		b.sh("etc/services.d/app/run", `sleep 0.1; exit 3`)
		b.write("etc/services.d/app/finish", docsFinish, 0)
		r := b.runCmd(b.pid1Command(), 10*time.Second)
		if r.code != 3 {
			t.Errorf("exit %d, want 3:\n%s", r.code, r.out)
		}
	})
	t.Run("docker stop", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		b.sh("etc/services.d/app/run", `echo up > "$MARK/up"; exec sleep 60`)
		b.write("etc/services.d/app/finish", docsFinish, 0)
		cmd, pid, start := b.launch(true)
		waitFile(t, b.tmp+"/up", 5*time.Second)
		signal(t, pid, syscall.SIGTERM)
		if r := b.wait(cmd, start, 10*time.Second); r.code != 0 {
			t.Errorf("exit %d, want 0:\n%s", r.code, r.out)
		}
	})
}
