package cli

import "context"

// runRun is being built under issue 5.
func runRun(ctx context.Context, s Streams, args []string) error {
	return errNotYet("run")
}
