package launch

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// jupyterImage returns a local JupyterLab image: $NBKIT_JUPYTER_IMAGE, else
// the one being developed, else the built one. The test skips without one
// (fails when NBKIT_REQUIRE_IMAGES is set): building it is another package's job.
func jupyterImage(t *testing.T, cli *client.Client) string {
	t.Helper()
	candidates := []string{"nbkit-dev/jupyter:wip", "nbkit/jupyter:latest"}
	if env := os.Getenv("NBKIT_JUPYTER_IMAGE"); env != "" {
		candidates = []string{env}
	}
	for _, c := range candidates {
		if _, err := cli.ImageInspect(t.Context(), c); err == nil {
			return c
		}
	}
	msg := "no JupyterLab image in the engine (looked for %v); build one with `nbkit build jupyter` or set NBKIT_JUPYTER_IMAGE"
	if os.Getenv("NBKIT_REQUIRE_IMAGES") != "" {
		t.Fatalf(msg, candidates)
	}
	t.Skipf(msg, candidates)
	return ""
}

// inFrame waits for a JavaScript predicate inside the notebook's iframe.
func inFrame(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInFrame(notebookFrame(t, ctx)),
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(200*time.Millisecond)))
	if err != nil {
		screenshot(t, ctx, "jupyter-failed")
		t.Fatalf("waiting for %s in the notebook: %v", what, err)
	}
}

func TestBrowserJupyterLab(t *testing.T) {
	cli := enginetest.Client(t)
	img := jupyterImage(t, cli)
	ctx := newBrowser(t)
	spec := testSpec(t, cli, img)
	nb, err := Open(t.Context(), cli, spec)
	if err != nil {
		t.Fatal(err)
	}
	url, ready := serveForBrowser(t, nb)
	t.Logf("%s ready %v after start", img, ready.Round(time.Millisecond))

	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the dashboard to show the notebook ready", `document.getElementById('phase').textContent === 'ready'`, time.Minute)
	inFrame(t, ctx, "the JupyterLab launcher", `document.querySelector('.jp-LauncherCard[data-category="Notebook"]')`, 90*time.Second)
	path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('frame').contentWindow.location.pathname`))
	if path != spec.Prefix()+"/lab" && path != spec.Prefix()+"/lab/" {
		t.Errorf("JupyterLab in the iframe at %q, want %s/lab", path, spec.Prefix())
	}
	screenshot(t, ctx, "jupyter-launcher")

	// Open a new notebook from the launcher and run a cell that also leaves a
	// file in the home volume.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.jp-LauncherCard[data-category="Notebook"]`), chromedp.FromNode(notebookFrame(t, ctx)))); err != nil {
		t.Fatal(err)
	}
	const editor = `.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content`
	inFrame(t, ctx, "the notebook editor", `document.querySelector('`+editor+`')`, time.Minute)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(editor), chromedp.FromNode(notebookFrame(t, ctx))),
		chromedp.SendKeys(chromedp.CSS(editor), `open("from-the-kernel.txt", "w").write("42"); print(6*7)`, chromedp.FromNode(notebookFrame(t, ctx))),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift)),
	); err != nil {
		t.Fatal(err)
	}
	inFrame(t, ctx, "the output 42", `[...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.textContent.trim() === '42')`, 90*time.Second)
	screenshot(t, ctx, "jupyter-42")

	first := nb.Status(t.Context())
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#restart"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the restart to begin", `document.getElementById('phase').textContent !== 'ready'`, 10*time.Second)
	waitFor(t, ctx, "JupyterLab to be ready again", `document.getElementById('phase').textContent === 'ready'`, 2*time.Minute)
	if st := nb.Status(t.Context()); st.ContainerID == first.ContainerID {
		t.Errorf("restart kept container %.12s", st.ContainerID)
	}
	hasFile := func(name string) string {
		return `[...document.querySelectorAll('.jp-DirListing-itemText')].some(e => e.textContent.trim() === '` + name + `')`
	}
	inFrame(t, ctx, "from-the-kernel.txt in the file browser after the restart", hasFile("from-the-kernel.txt"), 90*time.Second)
	inFrame(t, ctx, "the notebook in the file browser after the restart", hasFile("Untitled.ipynb"), 10*time.Second)
	screenshot(t, ctx, "dashboard-jupyter")
}
