package conformance

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestInterruptedCheckCleansUp cancels a run midway, as Ctrl-C does, and
// wants every container and volume of the session gone.
func TestInterruptedCheckCleansUp(t *testing.T) {
	cli := requireEngine(t)
	refs := buildFixtures(t, cli)
	d := NewDocker(cli)
	for _, after := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(t.Context(), after)
		// ignore-sigterm keeps the stop step busy for 10 s: the cancel lands mid-run.
		reports := Run(ctx, d, []string{refs["ignore-sigterm"]}, Options{StartTimeout: 20 * time.Second})
		cancel()
		if !errors.Is(reports[0].Err, context.DeadlineExceeded) {
			t.Errorf("cancelled after %s: report error %v, want the cancellation", after, reports[0].Err)
		}
		assertNoLeftovers(t, cli, d.Session)
	}
}
