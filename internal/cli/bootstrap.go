package cli

import "context"

// runBootstrap is being built under issue 3.
func runBootstrap(ctx context.Context, s Streams, args []string) error {
	return errNotYet("bootstrap")
}
