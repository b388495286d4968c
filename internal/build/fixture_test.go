package build

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/catalog"
)

// recorder keeps every event for order assertions.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Report(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// index returns the position of the first event of name in state, or -1.
func (r *recorder) index(name string, st State) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range r.events {
		if e.Name == name && e.State == st {
			return i
		}
	}
	return -1
}

// finals counts the final-state events of name.
func (r *recorder) finals(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Name == name && e.State.Final() {
			n++
		}
	}
	return n
}

// fixture copies testdata/fixture to a temporary catalog the test may edit,
// and gives it a repository prefix of its own whose images are removed at
// the end of the test.
func fixture(t *testing.T, cli *client.Client) (*catalog.Catalog, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "images")
	if err := os.CopyFS(dir, os.DirFS("testdata/fixture")); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	prefix := "nbkit-test-" + hex.EncodeToString(b)
	// A file unique to this run ahead of root's RUN step, so BuildKit's cache
	// cannot answer for it: the step must really see the CA secret and run /init.
	touch(t, filepath.Join(dir, "root/rootfs/etc/nbkit-fixture"), prefix+"\n")
	t.Cleanup(func() { removeImages(t, cli, prefix) })
	return c, prefix
}

func removeImages(t *testing.T, cli *client.Client, prefix string) {
	ctx := context.WithoutCancel(t.Context())
	list, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("label", "dev.nbkit.managed=build")})
	if err != nil {
		t.Errorf("listing test images: %v", err)
		return
	}
	// Children first, so removal never trips over a dependent image.
	for i := len(list.Items) - 1; i >= 0; i-- {
		img := list.Items[i]
		for _, ref := range img.RepoTags {
			if len(ref) > len(prefix) && ref[:len(prefix)] == prefix {
				cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{Force: true, PruneChildren: true})
			}
		}
	}
}

func touch(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func options(t *testing.T, cli *client.Client, c *catalog.Catalog, prefix string, names ...string) (Options, *recorder) {
	t.Helper()
	imgs, err := c.Select(names, false)
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rec := &recorder{}
	return Options{
		Images: imgs, Builder: EngineBuilder{Engine: cli}, Store: EngineStore{Engine: cli},
		Prefix: prefix, Tag: "latest", Platforms: []string{"linux/" + runtime.GOARCH},
		Secrets: map[string][]byte{"ca": []byte("FIXTURE-CA\n")}, Jobs: 2,
		LogDir: filepath.Join(t.TempDir(), "logs"), Reporter: rec,
		Binaries: &GoBinaries{ModuleDir: filepath.Join(wd, "../.."), Packages: map[string]string{"nbinit": "./internal/build/testdata/fakeinit"}, OutDir: t.TempDir()},
	}, rec
}

func states(s Summary) map[string]State {
	m := map[string]State{}
	for _, o := range s.Outcomes {
		m[o.Name] = o.State
	}
	return m
}

func wantStates(t *testing.T, s Summary, want map[string]State) {
	t.Helper()
	got := states(s)
	for n, st := range want {
		if got[n] != st {
			t.Errorf("%s: %s, want %s", n, got[n], st)
		}
	}
	if len(got) != len(want) {
		t.Errorf("outcomes %v, want %v", got, want)
	}
}
