package conformance

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostPython is Debian's interpreter, where python3-jupyter-server and
// python3-ipykernel install (not whatever python3 is first on PATH).
const hostPython = "/usr/bin/python3"

// TestRealJupyterServer runs the server checks against a real Jupyter Server
// on the host's loopback, with the flags Kubeflow images use: the websocket
// check must get 1+1 = 2 out of a real ipykernel through Jupyter's XSRF and
// origin checks. It needs python3-jupyter-server and python3-ipykernel.
func TestRealJupyterServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real Jupyter Server; skipped in -short mode")
	}
	if err := exec.Command(hostPython, "-c", "import jupyter_server, ipykernel").Run(); err != nil {
		t.Skipf("skipping: %s cannot import jupyter_server and ipykernel (apt-get install python3-jupyter-server python3-ipykernel): %v", hostPython, err)
	}
	port := freePort(t)
	dir := t.TempDir()
	cmd := exec.Command(hostPython, "-m", "jupyter_server", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--ServerApp.port_retries=0",
		"--ServerApp.base_url="+testPrefix, "--ServerApp.token=", "--ServerApp.password=",
		"--ServerApp.allow_origin=*", "--ServerApp.root_dir="+dir)
	cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin", "JUPYTER_RUNTIME_DIR="+filepath.Join(dir, ".rt"),
		"JUPYTER_DATA_DIR="+filepath.Join(dir, ".data"), "JUPYTER_CONFIG_DIR="+filepath.Join(dir, ".cfg"), "HOME="+dir)
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // kernels are its children: stop the group
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("jupyter server log:\n%s", b)
		}
	})

	nb := &Notebook{
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		Origin: fmt.Sprintf("http://127.0.0.1:%d", port), Prefix: testPrefix, Route: RouteKeep,
	}
	waitHTTP(t, nb.Origin+testPrefix+"/api/status", 30*time.Second)
	if nb.IDE = detectIDE(t.Context(), nb); nb.IDE != IDEJupyter {
		t.Fatalf("detected %q, want jupyter", nb.IDE)
	}
	for _, c := range []struct {
		id ID
		f  func(context.Context, *Notebook) Outcome
	}{
		{CheckPrefix, checkPrefix}, {CheckCORS, checkCORS}, {CheckIframe, checkIframe},
		{CheckNoAuth, checkNoAuth}, {CheckWebsocket, checkWebsocket}, {CheckCulling, checkCulling},
	} {
		o := c.f(t.Context(), nb)
		if o.verdict != vPass {
			t.Errorf("%s: %d %q, want pass", c.id, o.verdict, o.Message)
		} else {
			t.Logf("%s: %s", c.id, o.Message)
		}
	}
	// The websocket check deletes its kernel: none may be left running.
	if o := checkCulling(t.Context(), nb); !strings.Contains(o.Message, "lists 0 kernels") {
		t.Errorf("after the websocket check: %q, want no kernel left", o.Message)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer within %s: %v", url, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
