package initd_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nbkit/nbkit/internal/initd"
	"github.com/nbkit/nbkit/internal/initd/helpers"
	"github.com/nbkit/nbkit/internal/initd/stages"
)

// The test binary is nbinit: started through a link named init or a helper
// name, TestMain runs initd.Main instead of the tests (the os/exec idiom).
// It is copied into a world-readable directory first so tests can run it as
// other users.
var (
	testBin  string // the copy of this binary
	testBase string // parent of every box, mode 0755
	pid1Err  error  // why PID-1 tests cannot run here, if they cannot
)

func TestMain(m *testing.M) {
	name := filepath.Base(os.Args[0])
	if name == "init" || initd.IsHelper(name) {
		os.Exit(initd.Main(context.Background(), os.Args, os.Environ(), stages.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
	}
	code, err := setupAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func setupAndRun(m *testing.M) (int, error) {
	var err error
	if testBase, err = os.MkdirTemp("", "nbinit-test-"); err != nil {
		return 1, err
	}
	defer os.RemoveAll(testBase)
	if err := os.Chmod(testBase, 0o755); err != nil {
		return 1, err
	}
	self, err := os.Executable()
	if err != nil {
		return 1, err
	}
	testBin = filepath.Join(testBase, "nbinit.test")
	if err := copyFile(self, testBin, 0o755); err != nil {
		return 1, err
	}
	if out, err := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", "mount -t tmpfs tmpfs /run").CombinedOutput(); err != nil {
		pid1Err = fmt.Errorf("unshare --pid --fork --mount-proc is not permitted here (%v: %s); PID-1 tests need root", err, bytes.TrimSpace(out))
	}
	return m.Run(), nil
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// box is one container-like layout: etc/{cont-init.d,services.d,cont-finish.d},
// a runtime dir, and bin/ with init and every helper linked to nbinit.
type box struct {
	t              *testing.T
	root, etc, run string
	bin, tmp, work string
	env            []string
	out            *syncBuffer
}

func newBox(t *testing.T) *box {
	t.Helper()
	root, err := os.MkdirTemp(testBase, strings.ReplaceAll(t.Name(), "/", "_")+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	b := &box{t: t, root: root, etc: filepath.Join(root, "etc"), run: filepath.Join(root, "run"),
		bin: filepath.Join(root, "bin"), tmp: filepath.Join(root, "tmp"), work: filepath.Join(root, "work"), out: &syncBuffer{}}
	for _, d := range []string{root, b.etc, b.run, b.bin, b.tmp, b.work,
		filepath.Join(b.etc, "cont-init.d"), filepath.Join(b.etc, "services.d"), filepath.Join(b.etc, "cont-finish.d")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chmod(d, 0o755)
	}
	// Writable by anyone, like /tmp, so tests running as other users can
	// leave marks; the runtime dir stays root's 0755 like the real /run.
	os.Chmod(b.tmp, 0o1777)
	os.Chmod(b.work, 0o1777)
	links := []string{"init"}
	for n := range helpers.Table {
		links = append(links, n)
	}
	for _, n := range links {
		if err := os.Symlink(testBin, filepath.Join(b.bin, n)); err != nil {
			t.Fatal(err)
		}
	}
	b.env = []string{
		"PATH=" + b.bin + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
		"NBINIT_ETC=" + b.etc,
		"NBINIT_RUNDIR=" + b.run,
		"TMPDIR=" + b.tmp,
		"MARK=" + b.tmp,
		"S6_VERBOSITY=3",
		// Under -race the runtime sleeps 1s at exit by default, which
		// would hide how fast nbinit stops.
		"GORACE=atexit_sleep_ms=0",
	}
	return b
}

// write creates a file under the box root; mode 0 means 0755.
func (b *box) write(rel, body string, mode os.FileMode) string {
	b.t.Helper()
	if mode == 0 {
		mode = 0o755
	}
	p := filepath.Join(b.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		b.t.Fatal(err)
	}
	os.Chmod(p, mode)
	return p
}

// sh writes a /bin/sh script.
func (b *box) sh(rel, body string) string { return b.write(rel, "#!/bin/sh\n"+body+"\n", 0) }

// withContenv writes a script with the s6-overlay shebang.
func (b *box) withContenv(rel, body string) string {
	return b.write(rel, "#!"+b.bin+"/with-contenv sh\n"+body+"\n", 0)
}

func (b *box) setenv(kv ...string) { b.env = append(b.env, kv...) }

// mark reads a file the scripts wrote under $MARK.
func (b *box) mark(name string) string {
	data, _ := os.ReadFile(filepath.Join(b.tmp, name))
	return string(data)
}

// startUp starts cmd and waits until a script of the box has written
// $MARK/up; it returns when cmd was started.
func (b *box) startUp(cmd *exec.Cmd) time.Time {
	b.t.Helper()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	waitFile(b.t, b.tmp+"/up", 5*time.Second)
	return start
}

// command is nbinit started as init, not PID 1 (a subreaper).
func (b *box) command(args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(b.bin, "init"), args...)
	cmd.Env = b.env
	cmd.Dir = b.work
	cmd.Stdout, cmd.Stderr = b.out, b.out
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// pid1Command is nbinit as PID 1 of a fresh PID namespace with its own /proc
// and an empty tmpfs on /run, like a container.
func (b *box) pid1Command(args ...string) *exec.Cmd {
	b.t.Helper()
	return b.containerCommand("", nil, args...)
}

// containerCommand is pid1Command with more of a container: prep runs as
// root before nbinit (as a Dockerfile RUN would have), and wrap goes in front
// of nbinit (setpriv, as docker run --user would). /run is root's, mode 0755,
// as in an image.
func (b *box) containerCommand(prep string, wrap []string, args ...string) *exec.Cmd {
	b.t.Helper()
	if pid1Err != nil {
		b.t.Skip(pid1Err)
	}
	script := `mount -t tmpfs -o mode=0755 tmpfs /run && ` + prep + ` exec "$@"`
	argv := append([]string{"--pid", "--fork", "--mount-proc", "/bin/sh", "-c", script, "sh"}, wrap...)
	argv = append(append(argv, filepath.Join(b.bin, "init")), args...)
	cmd := exec.Command("unshare", argv...)
	cmd.Env = append(slicesWithout(b.env, "NBINIT_RUNDIR="), "NBINIT_RUNDIR=/run")
	cmd.Dir = b.work
	cmd.Stdout, cmd.Stderr = b.out, b.out
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func slicesWithout(env []string, prefix string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, prefix) {
			out = append(out, kv)
		}
	}
	return out
}

// result is how a run of nbinit ended.
type result struct {
	code int
	out  string
	took time.Duration
}

// runCmd runs cmd to completion, failing the test after timeout.
func (b *box) runCmd(cmd *exec.Cmd, timeout time.Duration) result {
	b.t.Helper()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	return b.wait(cmd, start, timeout)
}

func (b *box) wait(cmd *exec.Cmd, start time.Time, timeout time.Duration) result {
	b.t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			b.t.Fatalf("waiting for nbinit: %v\n%s", err, b.out)
		}
		return result{code: code, out: b.out.String(), took: time.Since(start)}
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		b.t.Fatalf("nbinit still running after %v; output:\n%s", timeout, b.out)
		return result{}
	}
}

// launch starts nbinit without a CMD, as PID 1 of a new namespace or as a
// subreaper, and returns the host pid to signal.
func (b *box) launch(pid1 bool, args ...string) (*exec.Cmd, int, time.Time) {
	b.t.Helper()
	cmd := b.command(args...)
	if pid1 {
		cmd = b.pid1Command(args...)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	if pid1 {
		return cmd, initPid(b.t, cmd), start
	}
	return cmd, cmd.Process.Pid, start
}

// initPid is the host pid of nbinit under pid1Command (the child of unshare).
func initPid(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	p := fmt.Sprintf("/proc/%d/task/%d/children", cmd.Process.Pid, cmd.Process.Pid)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(p)
		if f := strings.Fields(string(data)); len(f) == 1 {
			pid, _ := strconv.Atoi(f[0])
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no child of unshare (pid %d)", cmd.Process.Pid)
	return 0
}

func signal(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatalf("sending %v to %d: %v", sig, pid, err)
	}
}

// syncBuffer collects nbinit's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the output contains want.
func (s *syncBuffer) waitFor(t *testing.T, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(s.String(), want) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("output never contained %q within %v:\n%s", want, timeout, s.String())
}

// waitFile waits until a file exists.
func waitFile(t *testing.T, p string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(p); err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never appeared within %v", p, timeout)
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
