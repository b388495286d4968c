package launch

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

func TestBrowserJupyterLab(t *testing.T) {
	cli := enginetest.Client(t)
	img := enginetest.Image(t, cli, "nbkit/jupyter:latest")
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
	// A cell run before the kernel is connected is dropped, not queued.
	inFrame(t, ctx, "the kernel to be idle", `document.body.innerText.includes('(ipykernel) | Idle')`, time.Minute)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(editor), chromedp.FromNode(notebookFrame(t, ctx))),
		chromedp.SendKeys(chromedp.CSS(editor), `open("from-the-kernel.txt", "w").write("42"); print(6*7)`, chromedp.FromNode(notebookFrame(t, ctx))),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift)),
	); err != nil {
		t.Fatal(err)
	}
	inFrame(t, ctx, "the output 42", `[...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.textContent.trim() === '42')`, 90*time.Second)
	screenshot(t, ctx, "jupyter-42")
	// Save, so that the notebook with its output is on the volume too.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	// JupyterLab 4 asks for a name on the first save of an untitled notebook;
	// the name field has focus with "Untitled" selected.
	inFrame(t, ctx, "the rename dialog", `document.activeElement && document.activeElement.closest('.jp-Dialog') && document.activeElement.tagName === 'INPUT'`, 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("answer"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	inFrame(t, ctx, "the notebook to be saved", `!document.querySelector('.jp-Dialog') && !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')`, 30*time.Second)

	first := nb.Status(t.Context())
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#restart"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "JupyterLab to be ready again", readyAgain(first), 2*time.Minute)
	if st := nb.Status(t.Context()); st.ContainerID == first.ContainerID {
		t.Errorf("restart kept container %.12s", st.ContainerID)
	}
	hasFile := func(name string) string {
		return `[...document.querySelectorAll('.jp-DirListing-itemText')].some(e => e.offsetParent !== null && e.textContent.trim() === '` + name + `')`
	}
	inFrame(t, ctx, "from-the-kernel.txt in the file browser after the restart", hasFile("from-the-kernel.txt"), 90*time.Second)
	inFrame(t, ctx, "the saved notebook in the file browser after the restart", hasFile("answer.ipynb"), 10*time.Second)
	// Open it again from the file browser (mark the row, then double-click it
	// as a user would).
	inFrame(t, ctx, "the row of answer.ipynb", `(() => {
		const e = [...document.querySelectorAll('.jp-DirListing-itemText')].find(e => e.textContent.trim() === 'answer.ipynb');
		if (e) e.closest('.jp-DirListing-item').setAttribute('data-nbkit-test', 'answer');
		return !!e;
	})()`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.DoubleClick(chromedp.CSS(`[data-nbkit-test=answer]`), chromedp.FromNode(notebookFrame(t, ctx)))); err != nil {
		t.Fatal(err)
	}
	inFrame(t, ctx, "the saved output 42 in the reopened notebook", `[...document.querySelectorAll('.jp-OutputArea-output')].some(o => o.offsetParent !== null && o.textContent.trim() === '42')`, time.Minute)
	screenshot(t, ctx, "dashboard-jupyter")
}

func TestBrowserCodeServer(t *testing.T) {
	cli := enginetest.Client(t)
	img := enginetest.Image(t, cli, "nbkit/codeserver:latest")
	ctx := newBrowser(t)
	spec := testSpec(t, cli, img)
	nb, err := Open(t.Context(), cli, spec)
	if err != nil {
		t.Fatal(err)
	}
	// Nobody said group-one: the image's dev.nbkit.server-type label does.
	if got := nb.Spec().ServerType; got != GroupOne {
		t.Fatalf("server type from the codeserver image's label = %q, want %q", got, GroupOne)
	}
	url, ready := serveForBrowser(t, nb)
	t.Logf("%s ready %v after start", img, ready.Round(time.Millisecond))

	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the dashboard to show the notebook ready", `document.getElementById('phase').textContent === 'ready'`, time.Minute)
	inFrame(t, ctx, "the VS Code workbench", `document.querySelector('.monaco-workbench')`, 2*time.Minute)
	path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('frame').contentWindow.location.pathname`))
	if len(path) < len(spec.Prefix()) || path[:len(spec.Prefix())] != spec.Prefix() {
		t.Errorf("code-server in the iframe at %q, want under %s/", path, spec.Prefix())
	}
	// Let the workbench settle for a readable screenshot.
	time.Sleep(2 * time.Second)
	screenshot(t, ctx, "dashboard-codeserver")

	first := nb.Status(t.Context())
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#restart"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "code-server to be ready again", readyAgain(first), 2*time.Minute)
	inFrame(t, ctx, "the VS Code workbench after the restart", `document.querySelector('.monaco-workbench')`, 2*time.Minute)
}
