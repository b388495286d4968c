package cli

import "context"

// runCheck is being built under issue 4.
func runCheck(ctx context.Context, s Streams, args []string) error {
	return errNotYet("check")
}
