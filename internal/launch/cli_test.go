package launch_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/cli"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
	"github.com/nbkit/nbkit/internal/launch"
)

// TestRunCommand drives `nbkit run` as a user does: read the printed URL,
// open it, press Ctrl-C (cancel), and find the container stopped and the
// volume kept.
func TestRunCommand(t *testing.T) {
	engine := enginetest.Client(t)
	spec := launch.TestSpec(t, engine, launch.FixtureImage(t, engine, "cli"))
	ctx, interrupt := context.WithCancel(t.Context())
	defer interrupt()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	began := time.Now()
	go func() {
		done <- cli.Main(ctx, []string{"run", spec.Image, "--name", spec.Name, "--namespace", spec.Namespace, "--grace", "5s"},
			cli.Streams{Out: outW, Err: outW})
		outW.Close()
	}()
	// The run's objects carry no session label (the CLI does not add one):
	// clean them by name.
	t.Cleanup(func() {
		if e, err := launch.Find(context.Background(), engine, spec.Name, spec.Namespace); err == nil {
			e.Remove(context.Background(), engine, true)
		}
	})

	lines := bufio.NewScanner(outR)
	var url string
	urlRE := regexp.MustCompile(`^Dashboard: (http://127\.0\.0\.1:\d+/\?token=\S+)$`)
	for lines.Scan() {
		if m := urlRE.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
		if strings.HasPrefix(lines.Text(), "Ready after") {
			break
		}
	}
	if url == "" {
		t.Fatalf("no dashboard URL printed before ready")
	}
	t.Logf("nbkit run: ready %v after the command started", time.Since(began).Round(time.Millisecond))

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	base := strings.SplitN(url, "/?", 2)[0]
	resp, err = hc.Get(base + spec.Prefix() + "/api/notes")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("notebook through the printed URL's cookie: %s", resp.Status)
	}
	if resp, err := http.Get(base + spec.Prefix() + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("notebook without the token: %s, want 401", resp.Status)
		}
	}

	interrupt()
	var rest strings.Builder
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	if code := <-done; code != 0 {
		t.Errorf("exit status %d after Ctrl-C, want 0; output:\n%s", code, rest.String())
	}
	if !strings.Contains(rest.String(), "Home volume "+spec.VolumeName()+" kept") {
		t.Errorf("output after Ctrl-C:\n%s\nwant it to say the volume is kept", rest.String())
	}
	e, err := launch.Find(context.Background(), engine, spec.Name, spec.Namespace)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != "exited" || e.Volume != spec.VolumeName() {
		t.Errorf("after Ctrl-C: %+v, want the container exited and the volume kept", e)
	}
	ins, err := engine.ContainerInspect(context.Background(), spec.ContainerName(), client.ContainerInspectOptions{})
	if err == nil && ins.Container.State.ExitCode != 0 {
		t.Errorf("exit code %d, want 0 (stopped with SIGTERM)", ins.Container.State.ExitCode)
	}
}
