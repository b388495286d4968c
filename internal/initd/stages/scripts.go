package stages

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/nbkit/nbkit/internal/initd/execdiag"
	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// scriptsIn lists a folder's entries in ascending byte order of name, without
// dotfiles. A missing folder has no scripts.
func scriptsIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir) // sorted by name, byte order
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// runScript runs argv to completion with the container's stdout and stderr,
// in its own process group so that a timeout or a stop can end all of it. It
// is killed with SIGKILL after bound (0 = no bound) and sent SIGTERM when
// interrupt closes. The result is the shell-style exit code.
func (in *initProc) runScript(log logline.Scoped, argv []string, bound time.Duration, interrupt <-chan struct{}) int {
	path := argv[0]
	p, err := in.reaper.Start(path, argv, &syscall.ProcAttr{
		Dir:   in.workdir,
		Env:   in.childEnv(),
		Files: []uintptr{in.devnull.Fd(), in.stdio.Out.Fd(), in.stdio.Err.Fd()},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		code := execdiag.Code(err)
		log.Errorf("%s (counted as exit %d)", execdiag.Explain(path, err), code)
		return code
	}
	log.Tracef("started (pid %d)", p.Pid)
	var expired <-chan time.Time
	if bound > 0 {
		t := time.NewTimer(bound)
		defer t.Stop()
		expired = t.C
	}
	for {
		select {
		case <-p.Done():
			return reap.ExitCode(p.Status())
		case <-expired:
			log.Warnf("still running after %v: killing it", bound)
			p.SignalGroup(syscall.SIGKILL)
			expired = nil
		case <-interrupt:
			log.Infof("interrupted by the stop: sending SIGTERM")
			p.SignalGroup(syscall.SIGTERM)
			p.SignalGroup(syscall.SIGCONT)
			interrupt = nil
		}
	}
}

// scriptFailure is the first failing cont-init script (or the hook).
type scriptFailure struct {
	name string
	code int
}

// hook runs S6_STAGE2_HOOK with /bin/sh; like s6-overlay, a failure only warns.
func (in *initProc) hook() {
	if strings.TrimSpace(in.cfg.Stage2Hook) == "" {
		return
	}
	log := in.log.Stage("hook", "S6_STAGE2_HOOK")
	log.Stepf("running %q", in.cfg.Stage2Hook)
	if code := in.runScript(log, []string{"/bin/sh", "-c", in.cfg.Stage2Hook}, 0, in.stopCh); code != 0 {
		log.Warnf("exited %d", code)
	}
}

// contInit runs every cont-init script even after one fails, and returns
// the first failure.
func (in *initProc) contInit() *scriptFailure {
	names, err := scriptsIn(in.cfg.ContInitDir)
	if err != nil {
		in.log.Logf(logline.Error, "cont-init", "", "listing %s: %v", in.cfg.ContInitDir, err)
		return &scriptFailure{name: in.cfg.ContInitDir, code: 1}
	}
	var first *scriptFailure
	for _, name := range names {
		if in.isStopping() {
			in.log.Logf(logline.Info, "cont-init", "", "skipping %s and the scripts after it: stopping", name)
			break
		}
		log := in.log.Stage("cont-init", name)
		log.Stepf("running")
		code := in.runScript(log, []string{filepath.Join(in.cfg.ContInitDir, name)}, 0, in.stopCh)
		if code == 0 {
			log.Stepf("done")
			continue
		}
		switch in.cfg.BehaviourIfStage2Fails {
		case 0:
			log.Infof("exited %d", code)
		default:
			log.Warnf("exited %d", code)
		}
		if first == nil {
			first = &scriptFailure{name: name, code: code}
		}
	}
	return first
}

// stage2Failed applies S6_BEHAVIOUR_IF_STAGE2_FAILS to a failed start-up.
func (in *initProc) stage2Failed(f *scriptFailure) {
	log := in.log.Stage("cont-init", f.name)
	switch in.cfg.BehaviourIfStage2Fails {
	case 1:
		log.Warnf("start-up failed (exit %d); continuing because S6_BEHAVIOUR_IF_STAGE2_FAILS=1", f.code)
	case 2:
		log.Errorf("start-up failed with exit %d; stopping the container because S6_BEHAVIOUR_IF_STAGE2_FAILS=2", f.code)
		in.recordExitCode(f.code)
		in.requestStop("start-up failed in " + f.name)
	}
}

// contFinish runs /etc/cont-finish.d during the stop, each script bounded by
// S6_KILL_FINISH_MAXTIME when it is set.
func (in *initProc) contFinish() {
	names, err := scriptsIn(in.cfg.ContFinishDir)
	if err != nil {
		in.log.Logf(logline.Error, "cont-finish", "", "listing %s: %v", in.cfg.ContFinishDir, err)
		return
	}
	for _, name := range names {
		log := in.log.Stage("cont-finish", name)
		log.Stepf("running")
		if code := in.runScript(log, []string{filepath.Join(in.cfg.ContFinishDir, name)}, in.cfg.KillFinishMax, nil); code != 0 {
			log.Warnf("exited %d", code)
		}
	}
}
