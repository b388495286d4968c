package supervise

import (
	"context"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/nbkit/nbkit/internal/initd/execdiag"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// runFinish runs finish, if any, with s6-supervise's arguments, bounded by
// timeout-finish, and returns its exit code (-1 when there is no finish).
func (s *Service) runFinish(ctx context.Context, code, sig, pgid int) int {
	log := s.cfg.Log
	path := filepath.Join(s.cfg.Dir, "finish")
	if !exists(path) {
		return -1
	}
	timeout, err := finishTimeout(s.cfg.Dir)
	if err != nil {
		log.Warnf("%v", err)
	}
	argv := []string{path, strconv.Itoa(code), strconv.Itoa(sig), s.cfg.Name, strconv.Itoa(pgid)}
	attr := &syscall.ProcAttr{
		Dir:   s.cfg.Dir,
		Env:   s.cfg.Env(),
		Files: []uintptr{s.cfg.Stdio[0], s.cfg.Stdio[1], s.cfg.Stdio[2]},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	}
	s.mu.Lock()
	p, err := s.start.Start(path, argv, attr)
	if err == nil {
		s.finish = p
	}
	s.mu.Unlock()
	if err != nil {
		log.Errorf("cannot start finish: %s", execdiag.Explain(path, err))
		return execdiag.Code(err)
	}
	defer func() {
		s.mu.Lock()
		s.finish = nil
		s.mu.Unlock()
	}()
	log.Stepf("finish started (pid %d) with %d %d %s %d", p.Pid, code, sig, s.cfg.Name, pgid)
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-p.Done():
	case <-expired:
		log.Warnf("finish still running after %v (timeout-finish): killing it", timeout)
		p.SignalGroup(syscall.SIGKILL)
		<-p.Done()
	}
	ws := p.Status()
	log.Stepf("finish ended: %s", reap.Describe(ws))
	return reap.ExitCode(ws)
}
