package enginetest

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// File is an extra entry of a SelfImage: a folder when Body is nil and Dir is set.
type File struct {
	Name string // relative to /
	Mode int64
	Body []byte
	Dir  bool
}

// SelfImage imports the running test binary as /name into an image tagged
// ref, with the extra files and Dockerfile-style changes (ENTRYPOINT, LABEL,
// ...) given, and removes it after the test. It is the os/exec test idiom
// carried into a container: the test binary plays the container's process
// when it sees itself started as /name (check os.Args[0] in TestMain).
// The binary must be static (CGO_ENABLED=0, as make test builds).
func SelfImage(t testing.TB, cli *client.Client, ref, name string, files []File, changes ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	add := func(f File) {
		hdr := &tar.Header{Name: f.Name, Mode: f.Mode, Size: int64(len(f.Body))}
		if f.Dir {
			hdr.Typeflag, hdr.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.Body)
	}
	add(File{Name: name, Mode: 0o755, Body: bin})
	for _, f := range files {
		add(f)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	// With the run id, hack/prune.sh removes test images a crashed run left.
	changes = append(engine.ManagedChanges("test"), changes...)
	res, err := cli.ImageImport(t.Context(), client.ImageImportSource{Source: &layer, SourceName: "-"}, ref,
		client.ImageImportOptions{Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if _, err := engine.ReadMessages(res); err != nil {
		t.Fatalf("importing %s: %v", ref, err)
	}
	t.Cleanup(func() {
		cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true})
	})
	return ref
}
