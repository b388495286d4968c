package cli

import "context"

// runLs is being built under issue 5.
func runLs(ctx context.Context, s Streams, args []string) error {
	return errNotYet("ls")
}

// runStop is being built under issue 5.
func runStop(ctx context.Context, s Streams, args []string) error {
	return errNotYet("stop")
}

// runRm is being built under issue 5.
func runRm(ctx context.Context, s Streams, args []string) error {
	return errNotYet("rm")
}
