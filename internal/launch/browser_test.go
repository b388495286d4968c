package launch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium with a fresh profile, or skips (fails
// under CI) when it is not installed.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if enginetest.InCI() {
			t.Fatalf("CI must provide %s (hack/deps.sh installs chromium): %v", chromiumPath, err)
		}
		t.Skipf("skipping browser test: %s not installed (apt-get install chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1366, 860),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// artifactsDir is $NBKIT_ARTIFACTS, else out/artifacts at the module root.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NBKIT_ARTIFACTS")
	if dir == "" {
		root, _ := os.Getwd()
		for root != "/" {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			root = filepath.Dir(root)
		}
		dir = filepath.Join(root, "out", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot saves the tab as PNG under the artifacts dir.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(artifactsDir(t), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: %s", p)
}

// waitFor polls a JavaScript predicate in the dashboard page.
func waitFor(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		screenshot(t, ctx, strings.ReplaceAll(t.Name(), "/", "_")+"-failed")
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// inFrame waits for a JavaScript predicate inside the notebook's iframe. The
// frame may navigate meanwhile (servers redirect on first load), which ends a
// poll early: poll again in the new document until the deadline.
func inFrame(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		// !!: the truthy value comes back by value, and a DOM node cannot.
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void]("!!("+expr+")",
			chromedp.WithPollingInFrame(notebookFrame(t, ctx)),
			chromedp.WithPollingTimeout(time.Until(deadline)), chromedp.WithPollingInterval(200*time.Millisecond)))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			screenshot(t, ctx, strings.ReplaceAll(t.Name(), "/", "_")+"-failed")
			t.Fatalf("waiting for %s in the notebook: %v", what, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// notebookFrame returns the dashboard's iframe node; query it again after
// the iframe navigates.
func notebookFrame(t *testing.T, ctx context.Context) *chromedp.Node {
	t.Helper()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#frame")))
	if err != nil || len(nodes) != 1 {
		t.Fatalf("finding the notebook iframe: %v (%d nodes)", err, len(nodes))
	}
	return nodes[0]
}

// serveForBrowser starts nb behind the dashboard as `nbkit run` does and
// returns the printed URL.
func serveForBrowser(t *testing.T, nb *Notebook) (string, time.Duration) {
	t.Helper()
	srv, err := Listen(t.Context(), nb, "127.0.0.1:0", 3*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	began := time.Now()
	if err := nb.Start(t.Context(), 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nb.Stop(context.Background()) })
	return srv.URL, time.Since(began)
}

func TestBrowserDashboardWithFixture(t *testing.T) {
	cli := enginetest.Client(t)
	ctx := newBrowser(t)
	spec := testSpec(t, cli, fixtureImage(t, cli, "browser"))
	nb, err := Open(t.Context(), cli, spec)
	if err != nil {
		t.Fatal(err)
	}
	url, ready := serveForBrowser(t, nb)
	t.Logf("fixture ready %v after start", ready.Round(time.Millisecond))

	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the dashboard to show the notebook ready", `document.getElementById('phase').textContent === 'ready'`, 30*time.Second)
	inFrame(t, ctx, "the notebook page", `document.body && document.body.dataset.loaded === 'yes'`, 20*time.Second)
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('frame').contentWindow.location.pathname`))
	if err != nil || path != spec.Prefix()+"/" {
		t.Errorf("iframe path = %q, %v; want %s/", path, err, spec.Prefix())
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); strings.Contains(loc, "token=") {
		t.Errorf("dashboard URL still carries the token: %s", loc)
	}

	// Type into the notebook inside the iframe, as a user would.
	const note = "written in the browser"
	frame := notebookFrame(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#note"), note, chromedp.FromNode(frame)),
		chromedp.Click(chromedp.CSS("#save"), chromedp.FromNode(frame)),
	); err != nil {
		t.Fatal(err)
	}
	hasNote := `[...document.querySelectorAll('#notes li')].some(li => li.textContent === '` + note + `')`
	inFrame(t, ctx, "the note", hasNote, 10*time.Second)
	waitFor(t, ctx, "the streamed logs", `document.getElementById('log').textContent.includes('saved note: `+note+`')`, 10*time.Second)
	waitFor(t, ctx, "last activity", `/ago \(api\/status\)/.test(document.getElementById('activity').textContent)`, 10*time.Second)
	screenshot(t, ctx, "dashboard-fixture")

	first := nb.Status(t.Context())
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#restart"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the notebook to be ready again", readyAgain(first), 60*time.Second)
	if st := nb.Status(t.Context()); st.ContainerID == first.ContainerID {
		t.Errorf("restart from the dashboard kept container %.12s; want a new one", st.ContainerID)
	}
	inFrame(t, ctx, "the note written before the restart", `document.body && document.body.dataset.loaded === 'yes' && `+hasNote, 20*time.Second)
	waitFor(t, ctx, "the log seam of the restart", `document.getElementById('log').textContent.includes('restarted')`, 10*time.Second)
	screenshot(t, ctx, "dashboard-fixture-restarted")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#stop"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the notebook to stop", `document.getElementById('phase').textContent === 'stopped' && document.getElementById('restart').textContent === 'Start'`, 30*time.Second)
}

// readyAgain is the dashboard showing the container after before ready.
func readyAgain(before Status) string {
	return fmt.Sprintf(`document.body.dataset.generation === '%d' && document.getElementById('phase').textContent === 'ready'`, before.Generation+1)
}
