package cli

import "context"

// runTree is being built under issue 3.
func runTree(ctx context.Context, s Streams, args []string) error {
	return errNotYet("tree")
}
