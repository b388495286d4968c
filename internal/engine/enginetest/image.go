package enginetest

import (
	"testing"

	"github.com/moby/moby/client"
)

// Image returns ref when the engine holds it. Images of the tree are built by
// `make images` before `go test` runs, not by the tests that use them; without
// one the test skips with the command to run, and fails under CI.
func Image(t testing.TB, cli *client.Client, ref string) string {
	t.Helper()
	if _, err := cli.ImageInspect(t.Context(), ref); err != nil {
		if InCI() {
			t.Fatalf("%s is missing: make test builds it (make images) before go test", ref)
		}
		t.Skipf("%s is not built here; run `make images` first", ref)
	}
	return ref
}
