package stages

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
	"github.com/nbkit/nbkit/internal/initd/rundir"
	"github.com/nbkit/nbkit/internal/initd/supervise"
)

// Stdio are the container's standard streams.
type Stdio struct{ In, Out, Err *os.File }

// exitSystem is s6's exit code for "could not even start" (no runtime dir).
const exitSystem = 111

// initProc is one run of nbinit as init.
type initProc struct {
	cfg     Config
	log     *logline.Logger
	reaper  *reap.Reaper
	dir     rundir.Dir
	env     contenv.Env // the environment nbinit was started with
	workdir string
	self    string
	stdio   Stdio
	devnull *os.File
	pid1    bool

	stopOnce sync.Once
	stopCh   chan struct{}

	mu       sync.Mutex
	stopping bool
	cmd      *reap.Proc
	services []*supervise.Service
}

// Run is nbinit as init: it returns the exit code of the container. cmd is
// the CMD (may be empty), environ the container environment.
func Run(ctx context.Context, cmd []string, environ []string, stdio Stdio) int {
	env := contenv.Env(slices.Clone(environ))
	cfg, warns := FromEnv(env)
	in := &initProc{
		cfg:    cfg,
		log:    logline.New(stdio.Err, cfg.Verbosity),
		env:    env,
		stdio:  stdio,
		stopCh: make(chan struct{}),
		pid1:   os.Getpid() == 1,
	}
	start := in.log.Stage("start", "")
	for _, w := range warns {
		start.Warnf("%s", w)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if !in.pid1 {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			start.Errorf("becoming a child subreaper: %v; orphans will not be reaped", err)
		}
		start.Warnf("running as pid %d, not PID 1: acting as a child subreaper, so orphans of the processes nbinit starts are still reaped", os.Getpid())
	}
	in.handleSignals(ctx)
	in.reaper = reap.New()
	in.reaper.OnOrphan = func(pid int, ws syscall.WaitStatus) {
		in.log.Logf(logline.Debug, "reaper", "", "reaped orphan pid %d (%s)", pid, reap.Describe(ws))
	}
	go in.reaper.Run(ctx)

	if err := in.setup(ctx); err != nil {
		start.Errorf("%v", err)
		return exitSystem
	}
	defer in.devnull.Close()

	in.hook()
	if failed := in.contInit(); failed != nil && !in.isStopping() {
		in.stage2Failed(failed)
	}
	if !in.isStopping() {
		in.startServices(ctx)
	}
	if len(cmd) > 0 && !in.isStopping() {
		in.startCmd(cmd)
	}
	<-in.stopCh
	in.shutdown(ctx)
	return in.exitCode()
}

// setup picks the runtime dir and records what later stages and helpers read.
func (in *initProc) setup(ctx context.Context) error {
	log := in.log.Stage("start", "")
	dir, fellBack, err := rundir.Choose(in.cfg.PreferredRundir, in.cfg.TmpDir)
	if err != nil {
		return fmt.Errorf("choosing a runtime dir: %s is not writable, and %w; "+
			"give the container a writable %s (docker run --tmpfs %s, or an emptyDir volume in Kubernetes)",
			in.cfg.PreferredRundir, err, in.cfg.PreferredRundir, in.cfg.PreferredRundir)
	}
	in.dir = dir
	if fellBack {
		log.Infof("%s is not writable by uid %d gid %d: using the private runtime dir %s; "+
			"scripts find it in $%s (see docs/nbinit.md)", in.cfg.PreferredRundir, os.Geteuid(), os.Getegid(), dir, rundir.EnvVar)
	}
	if in.workdir, err = os.Getwd(); err != nil {
		in.workdir = "/"
	}
	if in.self, err = os.Executable(); err != nil {
		return fmt.Errorf("finding nbinit's own binary: %w", err)
	}
	if err := dir.Prepare(in.self, in.workdir); err != nil {
		return fmt.Errorf("preparing runtime dir %s: %w", dir, err)
	}
	// Recorded with the directory actually used, so that with-contenv
	// scripts find the fallback too.
	in.env = in.env.Set(rundir.EnvVar, string(dir))
	if err := contenv.Dump(dir.EnvDir(), in.env); err != nil {
		return fmt.Errorf("recording the container environment in %s: %w", dir.EnvDir(), err)
	}
	if err := dir.Listen(ctx, func() { in.requestStop("halt was called") }); err != nil {
		return err
	}
	if in.devnull, err = os.Open(os.DevNull); err != nil {
		return fmt.Errorf("opening %s: %w", os.DevNull, err)
	}
	log.Tracef("runtime dir %s, working dir %s, pid %d", dir, in.workdir, os.Getpid())
	return nil
}

// childEnv is the environment of every process nbinit starts: the container
// environment folder as it is now (so variables added by cont-init scripts
// show), plus where the runtime dir is.
func (in *initProc) childEnv() []string {
	e := slices.Clone(in.env)
	if !in.cfg.KeepEnv {
		loaded, err := contenv.Load(in.dir.EnvDir(), nil, contenv.WithContenv)
		if err != nil {
			in.log.Logf(logline.Warn, "env", "", "%v; using nbinit's own environment", err)
		} else {
			if _, ok := loaded.Get("PATH"); !ok {
				if p, ok := in.env.Get("PATH"); ok {
					loaded = loaded.Set("PATH", p)
				}
			}
			e = loaded
		}
	}
	return e.Set(rundir.EnvVar, string(in.dir))
}
