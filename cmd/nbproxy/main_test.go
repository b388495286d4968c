package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// nbproxy runs inside every code-server and RStudio image: like nbinit it
// links the standard library and nothing else.
func TestOnlyStandardLibrary(t *testing.T) {
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps",
		"-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if !strings.HasPrefix(pkg, "github.com/nbkit/nbkit/") {
			t.Errorf("nbproxy depends on %s, outside the standard library", pkg)
		}
	}
}

// The built binary keeps the notebook port closed until the IDE listens,
// then serves, answers the culler, and stops on SIGTERM with exit status 0,
// as nbinit expects of a service, without logging anything.
func TestBinaryWaitsServesAndStops(t *testing.T) {
	addr, ideAddr := freeAddr(t), freeAddr(t)
	p := startNBProxy(t, "-listen", addr, "-backend", ideAddr, "-mode", "codeserver")

	time.Sleep(700 * time.Millisecond)
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Fatal("the notebook port is open while the IDE is not")
	}

	ln, err := net.Listen("tcp", ideAddr)
	if err != nil {
		t.Fatal(err)
	}
	ide := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ide at ", r.URL.Path)
	}))
	ide.Listener.Close()
	ide.Listener = ln
	ide.Start()
	t.Cleanup(ide.Close)

	var ks []map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/notebook/ns/nb/api/kernels")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&ks)
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nbproxy did not answer once the IDE listened: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ks == nil || len(ks) != 0 {
		t.Errorf("kernels %v, want []", ks)
	}
	resp, err := http.Get("http://" + addr + "/notebook/ns/nb/files")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ide at /files" {
		t.Errorf("through the proxy: %q, want %q", body, "ide at /files")
	}

	p.stop(t)
	if out := p.logged(); out != "" {
		t.Errorf("nbproxy logged without -access-log:\n%s", out)
	}
}

// SIGTERM while the IDE has not started yet is a clean stop.
func TestBinaryStopsWhileWaiting(t *testing.T) {
	p := startNBProxy(t, "-listen", freeAddr(t), "-backend", freeAddr(t))
	time.Sleep(300 * time.Millisecond)
	p.stop(t)
}

type process struct {
	cmd    *exec.Cmd
	stderr chan string
}

func startNBProxy(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	cmd.Env = []string{"NB_PREFIX=/notebook/ns/nb"}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &process{cmd: cmd, stderr: make(chan string, 1)}
	go func() {
		out, _ := io.ReadAll(stderr)
		p.stderr <- string(out)
	}()
	return p
}

// stop sends SIGTERM and wants exit status 0 within 5 s.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("exit status %d after SIGTERM, want 0", exit.ExitCode())
		} else if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nbproxy still running 5 s after SIGTERM")
	}
}

func (p *process) logged() string { return <-p.stderr }

func TestBadFlagExits2(t *testing.T) {
	out, err := exec.CommandContext(t.Context(), buildBinary(t), "-mode", "jupyter").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("got %v, want exit status 2", err)
	}
	if !strings.Contains(string(out), "use codeserver, rstudio or generic") {
		t.Errorf("message does not name the fix:\n%s", out)
	}
}

var built struct {
	sync.Mutex
	path string
}

// buildBinary builds nbproxy once per test run, statically, as images get it.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if built.path != "" {
		return built.path
	}
	dir, err := os.MkdirTemp("", "nbproxy-test-")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "nbproxy")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built.path = bin
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
