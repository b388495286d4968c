package stages

import (
	"context"
	"syscall"
	"time"

	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/supervise"
)

// killWait bounds the wait after SIGKILL: killed processes go away at once
// unless stuck in the kernel, and then waiting longer would not help.
const killWait = 2 * time.Second

// shutdown is stage 3: services down, cont-finish.d, then every remaining
// process, each step returning as soon as its processes are gone.
func (in *initProc) shutdown(ctx context.Context) {
	start := time.Now()
	in.stopServices()
	in.contFinish()
	in.killAll(ctx)
	if in.cfg.SyncDisks {
		syscall.Sync()
	}
	in.log.Logf(logline.Info, "stop", "", "stopped in %v; exiting %d", time.Since(start).Round(time.Millisecond), in.exitCode())
}

// stopServices sends SIGTERM to every service and waits up to
// S6_SERVICES_GRACETIME for run and finish to end, then sends SIGKILL.
func (in *initProc) stopServices() {
	in.mu.Lock()
	services := append([]*supervise.Service(nil), in.services...)
	in.mu.Unlock()
	if len(services) == 0 {
		return
	}
	log := in.log.Stage("stop", "services")
	for _, s := range services {
		s.Stop()
	}
	deadline := time.NewTimer(in.cfg.ServicesGrace)
	defer deadline.Stop()
	for _, s := range services {
		select {
		case <-s.Done():
		case <-deadline.C:
			log.Warnf("still running after S6_SERVICES_GRACETIME=%d: sending SIGKILL", in.cfg.ServicesGrace.Milliseconds())
			for _, s := range services {
				s.Kill()
			}
			waitAll(services, killWait)
			return
		}
	}
	log.Stepf("all services down")
}

func waitAll(services []*supervise.Service, bound time.Duration) {
	t := time.NewTimer(bound)
	defer t.Stop()
	for _, s := range services {
		select {
		case <-s.Done():
		case <-t.C:
			return
		}
	}
}

// killAll sends SIGTERM to every remaining process, and SIGKILL to those
// still there after S6_KILL_GRACETIME. Unlike s6-overlay it does not sleep
// the grace time: it returns once nbinit has no child left.
func (in *initProc) killAll(ctx context.Context) {
	log := in.log.Stage("stop", "processes")
	if n := in.signalAll(syscall.SIGTERM); n == 0 {
		if in.waitNoChildren(ctx, killWait) {
			return
		}
	}
	in.signalAll(syscall.SIGCONT)
	if in.waitNoChildren(ctx, in.cfg.KillGrace) {
		log.Stepf("every process exited")
		return
	}
	log.Warnf("processes still running after S6_KILL_GRACETIME=%d: sending SIGKILL", in.cfg.KillGrace.Milliseconds())
	in.signalAll(syscall.SIGKILL)
	if !in.waitNoChildren(ctx, killWait) {
		log.Errorf("processes survived SIGKILL for %v (stuck in the kernel?); exiting anyway", killWait)
	}
}

func (in *initProc) waitNoChildren(ctx context.Context, bound time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	return in.reaper.WaitNoChildren(ctx) == nil
}
