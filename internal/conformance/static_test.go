package conformance

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// TestStaticDriver checks fixture images saved from the engine — as a
// `docker save` tarball and as an OCI layout — without running them.
func TestStaticDriver(t *testing.T) {
	cli := requireEngine(t)
	refs := buildFixtures(t, cli)
	dir := t.TempDir()
	save := func(name string) string {
		path := filepath.Join(dir, name+".tar")
		rc, err := cli.ImageSave(t.Context(), []string{refs[name]})
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(f, rc); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return path
	}
	good, wrongUID := save("good"), save("wrong-uid")

	// The same image as an OCI layout directory.
	img, err := tarball.ImageFromPath(good, nil)
	if err != nil {
		t.Fatal(err)
	}
	ociDir := filepath.Join(dir, "oci")
	p, err := layout.Write(ociDir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}

	reports := Run(t.Context(), Static{}, []string{good, ociDir, wrongUID, filepath.Join(dir, "missing.tar")}, Options{})
	for _, r := range reports[:2] {
		if r.Err != nil || r.Failed() {
			t.Errorf("%s: err %v, failed %v: %+v", r.Image, r.Err, r.Failed(), r.Results)
		}
		if res, _ := r.Result(CheckInitFiles); res.Status != StatusPass || res.Message != "1 start-up scripts, all executable by uid 1000" {
			t.Errorf("%s: init-files %s %q", r.Image, res.Status, res.Message)
		}
		if res, _ := r.Result(CheckPort); res.Status != StatusPass {
			t.Errorf("%s: port %s %q", r.Image, res.Status, res.Message)
		}
		if res, _ := r.Result(CheckWebsocket); res.Status != StatusSkip {
			t.Errorf("%s: websocket %s, want skip (static cannot run it)", r.Image, res.Status)
		}
	}
	if res, _ := reports[2].Result(CheckUser); res.Status != StatusFail {
		t.Errorf("wrong-uid tarball: user %s %q, want fail", res.Status, res.Message)
	}
	if reports[3].Err == nil || ExitCode(reports[3:]) != 2 {
		t.Errorf("missing tarball: err %v, exit %d; want an error and exit 2", reports[3].Err, ExitCode(reports[3:]))
	}
}
