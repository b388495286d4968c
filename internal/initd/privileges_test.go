package initd_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// asUser wraps cmd so it runs as uid:gid with no supplementary groups, no
// capability at all and no_new_privs, like `docker run --user U:0
// --cap-drop ALL --security-opt no-new-privileges`.
func asUser(t *testing.T, cmd *exec.Cmd, uid, gid int) *exec.Cmd {
	t.Helper()
	wrap := setpriv(t, uid, gid)
	cmd.Args = append(wrap, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	cmd.Path = wrap[0]
	return cmd
}

// setpriv is the command prefix that drops to uid:gid without capabilities.
func setpriv(t *testing.T, uid, gid int) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("changing users needs root")
	}
	path, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv (util-linux) is not installed")
	}
	return []string{path, "--reuid=" + strconv.Itoa(uid), "--regid=" + strconv.Itoa(gid), "--clear-groups",
		"--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"}
}

func TestRunsWithoutPrivileges(t *testing.T) {
	t.Parallel()
	for _, uid := range []int{1000, 100000 + rand.IntN(900000)} {
		t.Run(fmt.Sprintf("uid %d gid 0", uid), func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.withContenv("etc/cont-init.d/10-id", `echo "$(id -u):$(id -g)" > "$MARK/id"
echo from-init > "$NBINIT_RUNDIR/s6/container_environment/ADDED"`)
			b.sh("etc/services.d/app/run", `echo "$ADDED" > "$MARK/svc"; exit 1`)
			b.withContenv("etc/services.d/app/finish", `grep -q '^CapEff:[[:space:]]*0*$' /proc/self/status && echo nocaps > "$MARK/caps"
echo 9 > "$NBINIT_RUNDIR/s6-linux-init-container-results/exitcode"
halt`)
			r := b.runCmd(asUser(t, b.command(), uid, 0), 20*time.Second)
			if r.code != 9 {
				t.Errorf("exit %d, want 9 from the finish script's halt:\n%s", r.code, r.out)
			}
			if got, want := strings.TrimSpace(b.mark("id")), fmt.Sprintf("%d:0", uid); got != want {
				t.Errorf("cont-init ran as %q, want %q", got, want)
			}
			if strings.TrimSpace(b.mark("svc")) != "from-init" || strings.TrimSpace(b.mark("caps")) != "nocaps" {
				t.Errorf("service saw ADDED=%q caps=%q:\n%s", b.mark("svc"), b.mark("caps"), r.out)
			}
			fallback := filepath.Join(b.tmp, fmt.Sprintf("nbinit-%d", uid))
			mustContain(t, r.out, b.run+" is not writable by uid "+strconv.Itoa(uid)+" gid 0: using the private runtime dir "+fallback)
		})
	}
	t.Run("uid 1000 with s6 folders the image made group-writable", func(t *testing.T) {
		t.Parallel()
		b := newBox(t)
		for _, d := range []string{"run/s6", "run/s6-linux-init-container-results"} {
			p := filepath.Join(b.root, d)
			os.MkdirAll(p, 0o775)
			os.Chmod(p, 0o775)
		}
		r := b.runCmd(asUser(t, b.command("sh", "-c", `[ "$NBINIT_RUNDIR" = "`+b.run+`" ] && [ -L `+b.run+`/s6/basedir/bin/halt ]`), 1000, 0), 20*time.Second)
		if r.code != 0 || strings.Contains(r.out, "private runtime dir") {
			t.Errorf("exit %d; want the image's folders used:\n%s", r.code, r.out)
		}
	})
}

func TestSetuidgidHelpers(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("changing users needs root")
	}
	b := newBox(t)
	script := `
s6-setuidgid nobody sh -c 'echo "$(id -u) $(id -g)"' > "$MARK/nobody"
s6-setuidgid 1000:0 sh -c 'echo "$(id -u) $(id -g) $(id -G)"' > "$MARK/numeric"
s6-setuidgid no-such-user-xyz true 2> "$MARK/unknown"; echo "exit $?" >> "$MARK/unknown"
s6-envuidgid nobody sh -c 'echo "$UID $GID $GIDLIST"' > "$MARK/envuidgid"
s6-applyuidgid -u 1234 -g 0 -G 0,100 sh -c 'echo "$(id -u) $(id -G)"' > "$MARK/apply"
s6-envuidgid nobody s6-applyuidgid -Uz sh -c 'echo "$(id -u) ${UID-unset}"' > "$MARK/apply-U"
s6-setuidgid nobody s6-setuidgid root true 2> "$MARK/denied"; echo "exit $?" >> "$MARK/denied"
s6-setuidgid nobody s6-setuidgid nobody sh -c 'echo same' > "$MARK/same"`
	r := b.runCmd(b.command("sh", "-c", script), 20*time.Second)
	for name, want := range map[string]string{
		"nobody":    "65534 65534\n",
		"numeric":   "1000 0 0\n",
		"envuidgid": "65534 65534 65534\n",
		"apply":     "1234 0 100\n",
		"apply-U":   "65534 unset\n",
		"same":      "same\n",
	} {
		if got := b.mark(name); got != want {
			t.Errorf("%s: got %q, want %q\n%s", name, got, want, r.out)
		}
	}
	mustContain(t, b.mark("unknown"), `unknown user "no-such-user-xyz": it is not in /etc/passwd`, "exit 1")
	mustContain(t, b.mark("denied"), "cannot switch to root", "operation not permitted", "start the container as root", "exit 111")
}

// A service that dropped to another user can still stop a root nbinit.
func TestHaltFromAnotherUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("changing users needs root")
	}
	b := newBox(t)
	b.sh("etc/services.d/app/run", `echo 6 > "$NBINIT_RUNDIR/s6-linux-init-container-results/exitcode"
exec s6-setuidgid nobody sh -c 'halt; exec sleep 30'`)
	r := b.runCmd(b.command(), 10*time.Second)
	if r.code != 6 {
		t.Errorf("exit %d, want 6:\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "stopping the container: halt was called")
}

// With neither the runtime dir nor TMPDIR writable, nbinit stops at once and
// says what to do.
func TestNoWritableRuntimeDir(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("NBINIT_RUNDIR=/proc/nbinit-test", "TMPDIR=/proc/nbinit-test")
	r := b.runCmd(b.command("true"), 10*time.Second)
	if r.code != 111 {
		t.Errorf("exit %d, want 111:\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "/proc/nbinit-test is not writable", "docker run --tmpfs /proc/nbinit-test")
}

// As PID 1 of a container started with --user 1000:0 and no capabilities:
// with the image's /run as is, nbinit falls back to a private dir; with the
// two s6 folders made group-0 writable in the image, the s6-overlay paths
// under /run work unchanged.
func TestPID1WithoutPrivileges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, prep, exitcodeFile, halt string
	}{
		{"plain /run", "", `"$NBINIT_RUNDIR/s6-linux-init-container-results/exitcode"`, "halt"},
		{"s6 folders made group-writable", "install -d -m 0775 -g 0 /run/s6 /run/s6-linux-init-container-results &&",
			"/run/s6-linux-init-container-results/exitcode", "/run/s6/basedir/bin/halt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.sh("etc/services.d/app/run", `echo "$(id -u) $NBINIT_RUNDIR" > "$MARK/who"; exit 1`)
			b.withContenv("etc/services.d/app/finish", "echo 12 > "+tc.exitcodeFile+"\nexec "+tc.halt)
			r := b.runCmd(b.containerCommand(tc.prep, setpriv(t, 1000, 0)), 20*time.Second)
			if r.code != 12 {
				t.Errorf("exit %d, want 12:\n%s", r.code, r.out)
			}
			want := "1000 /run"
			if tc.prep == "" {
				want = "1000 " + filepath.Join(b.tmp, "nbinit-1000")
			}
			if got := strings.TrimSpace(b.mark("who")); got != want {
				t.Errorf("service ran as uid and runtime dir %q, want %q:\n%s", got, want, r.out)
			}
			if strings.Contains(r.out, "not PID 1") {
				t.Errorf("nbinit was not PID 1:\n%s", r.out)
			}
		})
	}
}
