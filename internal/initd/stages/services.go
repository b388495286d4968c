package stages

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/supervise"
)

// startServices starts supervising every folder of services.d and, when
// S6_CMD_WAIT_FOR_SERVICES=1, waits until they are ready.
func (in *initProc) startServices(ctx context.Context) {
	entries, err := os.ReadDir(in.cfg.ServicesDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		in.log.Logf(logline.Error, "services", "", "listing %s: %v", in.cfg.ServicesDir, err)
	}
	for _, e := range entries {
		name := e.Name()
		dir := filepath.Join(in.cfg.ServicesDir, name)
		if strings.HasPrefix(name, ".") {
			continue
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		log := in.log.Stage("services", name)
		if _, err := os.Stat(filepath.Join(dir, "run")); err != nil {
			log.Errorf("%s has no run file: add an executable run script (or remove the folder)", dir)
			continue
		}
		s := supervise.New(supervise.Config{
			Dir:        dir,
			Name:       name,
			Env:        in.childEnv,
			Stdio:      [3]uintptr{in.devnull.Fd(), in.stdio.Out.Fd(), in.stdio.Err.Fd()},
			Log:        log,
			ReadyAfter: in.cfg.ServicesReady,
		}, in.reaper)
		in.mu.Lock()
		in.services = append(in.services, s)
		in.mu.Unlock()
		go s.Run(ctx)
	}
	in.log.Logf(logline.Info, "services", "", "supervising %d service(s)", len(in.services))
	if in.cfg.CmdWaitForServices {
		in.waitReady()
	}
}

// waitReady waits for every service to be ready, bounded by
// S6_CMD_WAIT_FOR_SERVICES_MAXTIME. Not being ready in time is a start-up
// failure, handled by S6_BEHAVIOUR_IF_STAGE2_FAILS as s6-overlay does.
func (in *initProc) waitReady() {
	var expired <-chan time.Time
	if in.cfg.CmdWaitMax > 0 {
		t := time.NewTimer(in.cfg.CmdWaitMax)
		defer t.Stop()
		expired = t.C
	}
wait:
	for _, s := range in.services {
		select {
		case <-s.Ready():
		case <-in.stopCh:
			return
		case <-expired:
			break wait
		}
	}
	var late []string
	for _, s := range in.services {
		select {
		case <-s.Ready():
		default:
			late = append(late, s.Name())
		}
	}
	if len(late) == 0 {
		in.log.Logf(logline.Step, "services", "", "all services ready")
		return
	}
	in.log.Logf(logline.Warn, "services", "", "not ready after S6_CMD_WAIT_FOR_SERVICES_MAXTIME=%d: %s; starting the CMD anyway",
		in.cfg.CmdWaitMax.Milliseconds(), strings.Join(late, ", "))
	in.stage2Failed(&scriptFailure{name: "services.d", code: 1})
}
