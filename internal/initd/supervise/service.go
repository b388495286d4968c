package supervise

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/nbkit/nbkit/internal/initd/execdiag"
	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// Starter starts a child process whose exit the caller can wait for.
type Starter interface {
	Start(path string, argv []string, attr *syscall.ProcAttr) (*reap.Proc, error)
}

// Config describes one service folder and how to run it.
type Config struct {
	Dir    string
	Name   string
	Env    func() []string // environment at each start, so cont-init additions show
	Stdio  [3]uintptr      // stdin (normally /dev/null), stdout, stderr
	Log    logline.Scoped
	Spacer time.Duration // minimum time between two starts of run
	// ReadyAfter declares a service without notification-fd ready this long
	// after run started (S6_SERVICES_READYTIME).
	ReadyAfter time.Duration
}

// Service supervises one service folder.
type Service struct {
	cfg   Config
	start Starter

	mu        sync.Mutex
	stopping  bool
	run       *reap.Proc // current run process, nil when down
	finish    *reap.Proc // current finish process
	stopCh    chan struct{}
	ready     chan struct{} // closed once up and ready, or once it never will be
	readyOnce sync.Once
	done      chan struct{}
}

// New returns a Service for cfg; call Run to supervise it.
func New(cfg Config, start Starter) *Service {
	if cfg.Spacer == 0 {
		cfg.Spacer = time.Second
	}
	return &Service{cfg: cfg, start: start, stopCh: make(chan struct{}), ready: make(chan struct{}), done: make(chan struct{})}
}

// Name is the service's folder name.
func (s *Service) Name() string { return s.cfg.Name }

// Ready is closed when the service is up and ready for the first time, or
// when it will not come up (down file, finish 125, stopped).
func (s *Service) Ready() <-chan struct{} { return s.ready }

// Done is closed when supervision has ended after Stop.
func (s *Service) Done() <-chan struct{} { return s.done }

func (s *Service) markReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// Stop asks the service to go down for good: SIGTERM and SIGCONT to the
// process group of run (so children of a run script that did not exec get
// it too), then finish runs once more.
func (s *Service) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return
	}
	s.stopping = true
	close(s.stopCh)
	if s.run != nil {
		s.cfg.Log.Tracef("sending SIGTERM to process group %d", s.run.Pid)
		s.run.SignalGroup(syscall.SIGTERM)
		s.run.SignalGroup(syscall.SIGCONT)
	}
}

// Kill sends SIGKILL to whatever of the service still runs.
func (s *Service) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []*reap.Proc{s.run, s.finish} {
		if p != nil {
			s.cfg.Log.Tracef("sending SIGKILL to process group %d", p.Pid)
			p.SignalGroup(syscall.SIGKILL)
		}
	}
}

// Run supervises until Stop, then returns once run and finish are over.
func (s *Service) Run(ctx context.Context) {
	defer close(s.done)
	defer s.markReady()
	log := s.cfg.Log
	if exists(filepath.Join(s.cfg.Dir, "down")) {
		log.Infof("not started: %s exists (remove it to start the service)", filepath.Join(s.cfg.Dir, "down"))
		s.markReady()
		<-s.stopCh
		return
	}
	var last time.Time
	for {
		if wait := time.Until(last.Add(s.cfg.Spacer)); !last.IsZero() && wait > 0 {
			log.Tracef("restarting in %v", wait.Round(time.Millisecond))
			select {
			case <-time.After(wait):
			case <-s.stopCh:
				return
			}
		}
		if s.isStopping() {
			return
		}
		last = time.Now()
		code, sig, pgid, started := s.runOnce(ctx)
		if !started {
			return
		}
		if s.runFinish(ctx, code, sig, pgid) == 125 {
			log.Infof("finish exited 125: not restarting the service")
			s.markReady()
			<-s.stopCh
			return
		}
		if s.isStopping() {
			return
		}
	}
}

func (s *Service) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// runOnce starts run, waits for it, and returns finish's first arguments.
// started is false only when Stop came first.
func (s *Service) runOnce(ctx context.Context) (code, sig, pgid int, started bool) {
	log := s.cfg.Log
	runPath := filepath.Join(s.cfg.Dir, "run")
	files := []uintptr{s.cfg.Stdio[0], s.cfg.Stdio[1], s.cfg.Stdio[2]}
	fd, err := notificationFD(s.cfg.Dir)
	if err != nil {
		log.Errorf("%v; the service is treated as ready once started", err)
	}
	var notifyR *os.File
	notifyW := -1
	if fd > 0 {
		var p [2]int
		if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
			log.Errorf("making the readiness pipe: %v", err)
			fd = 0
		} else {
			notifyR = os.NewFile(uintptr(p[0]), "notification-fd")
			notifyW = p[1]
			for len(files) < fd {
				files = append(files, ^uintptr(0)) // closed in the child
			}
			files = append(files, uintptr(p[1]))
		}
	}
	attr := &syscall.ProcAttr{
		Dir:   s.cfg.Dir,
		Env:   s.cfg.Env(),
		Files: files,
		Sys:   &syscall.SysProcAttr{Setsid: true},
	}
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		if notifyR != nil {
			notifyR.Close()
			syscall.Close(notifyW)
		}
		return 0, 0, 0, false
	}
	p, err := s.start.Start(runPath, []string{runPath, s.cfg.Name}, attr)
	if err == nil {
		s.run = p
	}
	s.mu.Unlock()
	if notifyW >= 0 {
		// Only run may hold the write end, so its exit ends the wait.
		syscall.Close(notifyW)
	}
	if err != nil {
		if notifyR != nil {
			notifyR.Close()
		}
		log.Errorf("cannot start: %s", execdiag.Explain(runPath, err))
		return execdiag.Code(err), 0, 0, true
	}
	log.Stepf("started (pid %d)", p.Pid)
	if notifyR != nil {
		go s.awaitNotification(notifyR, p)
	} else {
		go func() {
			select {
			case <-time.After(s.cfg.ReadyAfter):
				s.markReady()
			case <-p.Done():
			}
		}()
	}
	ws, _ := p.Wait(context.WithoutCancel(ctx))
	s.mu.Lock()
	s.run = nil
	s.mu.Unlock()
	log.Infof("run (pid %d) ended: %s", p.Pid, reap.Describe(ws))
	if ws.Signaled() {
		return 256, int(ws.Signal()), p.Pid, true
	}
	return ws.ExitStatus(), 0, p.Pid, true
}
