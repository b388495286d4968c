package manifest

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/build"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// The fixture image registers a package in dpkg's real database, so the
// listing must come from dpkg-query inside the image, and the diff against
// the OS base must show exactly that package added.
func TestCollectOnEngine(t *testing.T) {
	cli := enginetest.Client(t)
	ctxDir := t.TempDir()
	dockerfile := "FROM debian:trixie-slim\nRUN printf 'Package: nbkit-fixture\\nStatus: install ok installed\\nVersion: 1.2.3\\nArchitecture: all\\nMaintainer: nbkit\\nDescription: test\\n\\n' >> /var/lib/dpkg/status\n"
	if err := os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	ref := "nbkit-test-manifest/fixture:" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() {
		cli.ImageRemove(context.WithoutCancel(t.Context()), ref, client.ImageRemoveOptions{Force: true})
	})
	_, err := build.EngineBuilder{Engine: cli}.Build(t.Context(), build.Request{
		Name: "fixture", ContextDir: ctxDir, Tags: []string{ref},
		Labels: map[string]string{"dev.nbkit.managed": "build"}, Log: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Collect(t.Context(), cli, "fixture", ref)
	if err != nil {
		t.Fatal(err)
	}
	base, err := Collect(t.Context(), cli, "debian", "debian:trixie-slim")
	if err != nil {
		t.Fatal(err)
	}
	if m.Size <= 0 || m.ImageID == "" || len(m.Python) != 0 || len(m.R) != 0 || len(m.NPM) != 0 {
		t.Errorf("manifest: size %d id %q python %v r %v npm %v", m.Size, m.ImageID, m.Python, m.R, m.NPM)
	}
	dir := t.TempDir()
	if err := m.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	back, err := Read(filepath.Join(dir, "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "fixture.md"))
	if !bytes.Contains(md, []byte("| nbkit-fixture | 1.2.3 |")) || !bytes.Contains(md, []byte("| base-files |")) {
		t.Errorf("markdown lacks the packages:\n%s", md)
	}
	changes := Diff(base, back)
	if len(changes) != 1 || changes[0] != (Change{Ecosystem: "debian", Name: "nbkit-fixture", New: "1.2.3"}) {
		t.Errorf("diff from the OS base = %+v, want only nbkit-fixture added", changes)
	}
}
