package hack

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary plays dockerd (roleEnv=dockerd) and the docker client
// (roleEnv=docker), so engine-up.sh runs for real without touching the
// machine's engine.
const roleEnv = "NBKIT_HACK_TEST_ROLE"

const prSetChildSubreaper = 36

func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "dockerd":
		fakeDockerd()
	case "docker":
		fakeDocker()
	}
	os.Exit(m.Run())
}

// fakeDockerd behaves as dockerd does towards signals (it handles SIGINT and
// shuts down) and marks itself ready for the fake client.
func fakeDockerd() {
	state := os.Getenv("NBKIT_STATE_DIR")
	ints := make(chan os.Signal, 1)
	signal.Notify(ints, syscall.SIGINT, syscall.SIGTERM)
	sid, _ := unixGetsid(0)
	os.WriteFile(filepath.Join(state, "fake-sid"), []byte(strconv.Itoa(sid)), 0o644)
	os.WriteFile(filepath.Join(state, "ready"), nil, 0o644)
	<-ints
	os.Exit(0)
}

func fakeDocker() {
	if _, err := os.Stat(filepath.Join(os.Getenv("NBKIT_STATE_DIR"), "ready")); err != nil {
		os.Exit(1)
	}
	os.Stdout.WriteString("20.10-fake\n")
	os.Exit(0)
}

func unixGetsid(pid int) (int, error) {
	sid, _, errno := syscall.RawSyscall(syscall.SYS_GETSID, uintptr(pid), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(sid), nil
}

// TestEngineUpSurvivesCtrlC starts the engine the way `make up` does, from a
// foreground process group, then sends that group the SIGINT a terminal's
// Ctrl-C sends: the engine must keep running in a session of its own.
func TestEngineUpSurvivesCtrlC(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, state := t.TempDir(), t.TempDir()
	for _, role := range []string{"dockerd", "docker"} {
		script := "#!/bin/sh\n" + roleEnv + "=" + role + " exec " + strconv.Quote(exe) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, role), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// mmdebstrap must look installed so the script installs nothing.
	os.WriteFile(filepath.Join(bin, "mmdebstrap"), []byte("#!/bin/sh\n"), 0o755)

	// Adopt the detached engine when the script exits, so it can be reaped
	// (a zombie would still answer kill -0).
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		t.Fatalf("prctl: %v", errno)
	}
	cmd := exec.Command("bash", "engine-up.sh")
	cmd.Env = append(os.Environ(),
		"PATH="+bin+":"+os.Getenv("PATH"),
		"NBKIT_STATE_DIR="+state,
		"NBKIT_DOCKER_SOCK="+filepath.Join(state, "sock"),
		"NBKIT_ENGINE_NO_SYSTEMD=1",
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("engine-up.sh: %v\n%s", err, out)
	}
	pidText, err := os.ReadFile(filepath.Join(state, "dockerd.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidText)))
	if err != nil {
		t.Fatalf("dockerd.pid: %v", err)
	}
	t.Cleanup(func() {
		syscall.Kill(pid, syscall.SIGTERM)
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, 0, nil)
	})

	group := cmd.Process.Pid // the script led its process group, as a shell's job does
	syscall.Kill(-group, syscall.SIGINT)
	time.Sleep(300 * time.Millisecond)
	if !alive(pid) {
		t.Fatalf("the engine (pid %d) died from the Ctrl-C sent to the group that started it", pid)
	}
	sid, _ := os.ReadFile(filepath.Join(state, "fake-sid"))
	if string(sid) == strconv.Itoa(group) {
		t.Errorf("the engine runs in the caller's session %d, want a session of its own", group)
	}
}

// alive reports whether pid runs (a zombie, dead but not yet reaped by its
// new parent, does not count).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	rest := stat[strings.LastIndexByte(string(stat), ')')+1:]
	return !strings.HasPrefix(strings.TrimSpace(string(rest)), "Z")
}
