package cli

import "context"

// runManifest is being built under issue 3.
func runManifest(ctx context.Context, s Streams, args []string) error {
	return errNotYet("manifest")
}
