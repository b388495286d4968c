package build

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/catalog"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// The fleet path end to end: a standalone BuildKit daemon builds the fixture's
// root and mid, pushing to a registry (an in-memory one on loopback); the
// child is built FROM the parent's pushed reference, and a second run finds
// both up to date in the registry and skips them.
func TestPushToRegistry(t *testing.T) {
	cli := enginetest.Client(t)
	if os.Geteuid() != 0 {
		t.Skip("a standalone buildkitd needs root")
	}
	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(reg.Close)
	host := strings.TrimPrefix(reg.URL, "http://")
	base := host + "/debian:trixie-slim"
	copyToRegistry(t, cli, "debian:trixie-slim", base)
	addr := startBuildkitd(t, fmt.Sprintf("[registry.%q]\n  http = true\n  insecure = true\n", host))

	dir := filepath.Join(t.TempDir(), "images")
	for _, n := range []string{"root", "mid"} {
		if err := os.CopyFS(filepath.Join(dir, n), os.DirFS(filepath.Join("testdata/fixture", n))); err != nil {
			t.Fatal(err)
		}
	}
	yaml, _ := os.ReadFile(filepath.Join(dir, "root/image.yaml"))
	touch(t, filepath.Join(dir, "root/image.yaml"), strings.Replace(string(yaml), "from: debian:trixie-slim", "from: "+base, 1))
	c, err := catalog.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	imgs, _ := c.Select(nil, false)
	wd, _ := os.Getwd()
	o := Options{
		Images: imgs, Builder: DaemonBuilder{Address: addr, InsecureRegistry: true}, Store: RegistryStore{Insecure: true},
		Prefix: host + "/nbkit", Tag: "latest", Platforms: []string{"linux/" + runtime.GOARCH}, Push: true,
		Secrets: map[string][]byte{"ca": []byte("FIXTURE-CA\n")}, Jobs: 2, LogDir: filepath.Join(t.TempDir(), "logs"),
		Binaries: &GoBinaries{ModuleDir: filepath.Join(wd, "../.."), Packages: map[string]string{"nbinit": "./internal/build/testdata/fakeinit"}, OutDir: t.TempDir()},
	}
	sum, err := Run(t.Context(), o)
	if err != nil {
		for _, out := range sum.Outcomes {
			t.Logf("%s %s %v\n%s", out.Name, out.State, out.Err, out.LogTail)
		}
		t.Fatal(err)
	}
	wantStates(t, sum, map[string]State{"root": Built, "mid": Built})
	rootID, _, err := RegistryStore{Insecure: true}.Lookup(t.Context(), host+"/nbkit/root:latest")
	if err != nil {
		t.Fatal(err)
	}
	_, labels, err := RegistryStore{Insecure: true}.Lookup(t.Context(), host+"/nbkit/mid:latest")
	if err != nil {
		t.Fatal(err)
	}
	if labels[LabelParent] != rootID || labels[LabelInputsHash] != sum.Outcomes[1].Hash {
		t.Errorf("mid's labels %v; want parent %s and hash %s", labels, rootID, sum.Outcomes[1].Hash)
	}

	again, err := Run(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	wantStates(t, again, map[string]State{"root": Skipped, "mid": Skipped})

	t.Run("two platforms in one index", func(t *testing.T) {
		if _, err := os.Stat("/proc/sys/fs/binfmt_misc/qemu-aarch64"); err != nil || runtime.GOARCH != "amd64" {
			t.Skip("arm64 emulation not registered (apt-get install qemu-user-static binfmt-support)")
		}
		// The registry's OS base is amd64 only (this host has no arm64 one), so
		// this checks the index nbkit pushes, not the arm64 userland.
		multi := o
		multi.Platforms = []string{"linux/amd64", "linux/arm64"}
		multi.Tag = "multi"
		sum, err := Run(t.Context(), multi)
		if err != nil {
			t.Fatal(err)
		}
		wantStates(t, sum, map[string]State{"root": Built, "mid": Built})
		ref, _ := name.ParseReference(host+"/nbkit/mid:multi", name.Insecure)
		idx, err := remote.Index(ref)
		if err != nil {
			t.Fatal(err)
		}
		m, err := idx.IndexManifest()
		if err != nil {
			t.Fatal(err)
		}
		var plats []string
		for _, d := range m.Manifests {
			if d.Platform != nil && d.Platform.OS == "linux" {
				plats = append(plats, d.Platform.Architecture)
			}
		}
		if strings.Join(plats, ",") != "amd64,arm64" {
			t.Errorf("index platforms %v, want amd64,arm64", plats)
		}
	})
}

// copyToRegistry puts a local engine image into the registry under ref.
func copyToRegistry(t *testing.T, cli *client.Client, local, ref string) {
	t.Helper()
	saved, err := cli.ImageSave(t.Context(), []string{local})
	if err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(t.TempDir(), "image.tar")
	f, _ := os.Create(tarPath)
	_, err = io.Copy(f, saved)
	saved.Close()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(local)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(tarPath, &tag)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(dst, img, remote.WithContext(context.WithoutCancel(t.Context()))); err != nil {
		t.Fatal(err)
	}
}
