package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// stopAndRestart measures SIGTERM on the main container, then starts a new
// container on the same home, as a pod restart does.
func (r *dockerRun) stopAndRestart(ctx context.Context, running bool) error {
	if !r.p.anyEnabled(CheckStop, CheckRestart) {
		return nil
	}
	if !running {
		r.p.record(CheckStop, skip("not evaluated: the container was not running"), 0)
		r.p.run(CheckRestart, func() Outcome { return skip("not evaluated: the container was not running") })
		return nil
	}
	r.s.dropProber(ctx, r.id)
	st, err := r.d.stop(ctx, r.id, stopGrace)
	if err != nil {
		return err
	}
	r.p.record(CheckStop, judgeStop(st), st.Latency)
	var restartErr error
	r.p.run(CheckRestart, func() Outcome {
		id, rd, err := r.startReady(ctx, r.volume, kubeflowRun)
		if err != nil {
			restartErr = err
			return broken(err)
		}
		defer r.d.Engine.ContainerKill(context.WithoutCancel(ctx), id, client.ContainerKillOptions{Signal: "SIGKILL"})
		if !rd.Ready && !(r.ide == IDENone && !rd.Exited) {
			return violation("after stop, a new container on the same home volume did not come back: %s", rd.describe(r.p.opts.StartTimeout))
		}
		return r.d.judgeRestart(ctx, id, r.written, rd.Elapsed)
	})
	return restartErr
}

func judgeStop(st stopResult) Outcome {
	o := pass("exited with code %d %s after SIGTERM", st.ExitCode, st.Latency.Round(10*time.Millisecond))
	switch {
	case st.Killed:
		o = violation("still running %s after SIGTERM (killed; exit %d): PID 1 ignores SIGTERM, so every stop in Kubeflow waits the full grace period and then kills; run the server under an init that forwards signals (nbinit, tini) or `exec` it from the start script",
			stopGrace, st.ExitCode)
	case st.ExitCode != 0 && st.ExitCode != 143:
		o = violation("exited with code %d %s after SIGTERM, want 0 or 143: the server should treat SIGTERM as a normal shutdown", st.ExitCode, st.Latency.Round(10*time.Millisecond))
	}
	return o.with("stop_seconds", fmt.Sprintf("%.2f", st.Latency.Seconds()))
}

// variants runs the stricter security contexts, each on a fresh home.
func (r *dockerRun) variants(ctx context.Context) error {
	runs := []struct {
		id   ID
		v    variant
		what string
		fix  string
	}{
		{CheckRandomUID, randomUIDRun, "as uid 1000680000 with gid 0 (OpenShift's restricted SCC)",
			"make what the server writes group-0 writable (chgrp -R 0 DIR && chmod -R g=u DIR) and do not depend on the uid having a passwd entry"},
		{CheckRestricted, restrictedRun, "with all capabilities dropped and no-new-privileges",
			"do not rely on sudo, setuid binaries, or capabilities at start"},
		{CheckReadonlyRoot, readonlyRun, "with a read-only root filesystem (tmpfs on /tmp and /run)",
			"keep runtime files in /tmp, /run or the home instead of the image's own paths"},
	}
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	for i, run := range runs {
		wg.Go(func() {
			r.p.run(run.id, func() Outcome {
				vol, err := r.s.homeVolume(ctx, r.image, r.emptyHome != "")
				if err != nil {
					errs[i] = err
					return broken(err)
				}
				id, rd, err := r.startReady(ctx, vol, run.v)
				if err != nil {
					errs[i] = err
					return broken(err)
				}
				defer r.d.Engine.ContainerKill(context.WithoutCancel(ctx), id, client.ContainerKillOptions{Signal: "SIGKILL"})
				switch {
				case rd.Ready:
					return pass("ready %s after %s", run.what, rd.Elapsed.Round(10*time.Millisecond))
				case r.ide == IDENone && !rd.Exited:
					return pass("still running %s after %s (no IDE to wait for)", run.what, rd.Elapsed.Round(10*time.Millisecond))
				}
				return violation("%s %s: %s", run.what, rd.describe(r.p.opts.StartTimeout), run.fix)
			})
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
