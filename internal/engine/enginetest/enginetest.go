// Package enginetest gives tests a connected engine client, or skips them with
// the reason when none is reachable. Under CI (CI=true) a missing engine fails
// the test instead: CI always provides one.
package enginetest

import (
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// Client returns a connected client closed at the end of the test.
func Client(t testing.TB) *client.Client {
	t.Helper()
	cli, err := engine.Connect(t.Context())
	if err != nil {
		if InCI() {
			t.Fatalf("CI must provide a container engine: %v", err)
		}
		t.Skipf("skipping engine-backed test: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}
