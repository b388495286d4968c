package cli

import "context"

// runBuild is being built under issue 3.
func runBuild(ctx context.Context, s Streams, args []string) error {
	return errNotYet("build")
}
