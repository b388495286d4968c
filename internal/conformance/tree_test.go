package conformance

import (
	"bytes"
	"testing"
	"time"

	"github.com/nbkit/nbkit/internal/catalog"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// TestOfflineImagesPassKubeflowProfile checks the images `make test` builds
// (every image of the tree buildable from Debian and npm alone) the way a
// platform team would before publishing them: the kubeflow profile, all at
// once. It needs them built (`make images`); under CI a missing one fails.
func TestOfflineImagesPassKubeflowProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("checks real notebook images; slow")
	}
	cli := enginetest.Client(t)
	cat, err := catalog.Load("../../images")
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := cat.Select(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, img := range imgs {
		ref := "nbkit/" + img.Name + ":latest"
		if _, err := cli.ImageInspect(t.Context(), ref); err != nil {
			if enginetest.InCI() {
				t.Fatalf("%s is missing: make test builds it (make images) before go test", ref)
			}
			t.Skipf("%s is not built here (run make images): %v", ref, err)
		}
		refs = append(refs, ref)
	}
	if len(refs) < 5 {
		t.Fatalf("offline set = %v, want at least the five of images.md", refs)
	}

	start := time.Now()
	d := NewDocker(cli)
	reports := Run(t.Context(), d, refs, Options{Profile: Profiles["kubeflow"], Parallel: 2})
	t.Logf("checked %d images in %s (2 at a time)", len(refs), time.Since(start).Round(100*time.Millisecond))
	var text bytes.Buffer
	WriteText(&text, reports)
	t.Log("\n" + text.String())
	for _, r := range reports {
		if r.Broken() {
			t.Errorf("%s: could not be checked completely: %v", r.Image, r.Err)
		}
		for _, res := range r.Results {
			if res.Status == StatusFail || res.Status == StatusWarn {
				t.Errorf("%s: %s: %s: %s", r.Image, res.ID, res.Status, res.Message)
			}
		}
	}
	assertNoLeftovers(t, cli, d.Session)
}
