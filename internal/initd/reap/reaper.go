package reap

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Reaper owns the wait4 loop of the process.
type Reaper struct {
	// OnOrphan, when set, is told about every reaped pid nobody started
	// through this Reaper (daemons' children, double forks). It is called
	// with the reaper's lock held and must not call back into the Reaper.
	OnOrphan func(pid int, ws syscall.WaitStatus)

	mu         sync.Mutex
	waiters    map[int]*Proc
	noChildren bool
	changed    chan struct{} // closed and replaced after every reaping pass
	sigch      chan os.Signal
}

// New returns a Reaper listening for SIGCHLD. Call Run to start reaping.
func New() *Reaper {
	r := &Reaper{
		waiters: map[int]*Proc{},
		changed: make(chan struct{}),
		sigch:   make(chan os.Signal, 1),
	}
	signal.Notify(r.sigch, syscall.SIGCHLD)
	return r
}

// Run reaps children until ctx ends. SIGCHLD only wakes the loop; each pass
// drains every exited child because signals coalesce.
func (r *Reaper) Run(ctx context.Context) {
	r.Reap()
	for {
		select {
		case <-ctx.Done():
			signal.Stop(r.sigch)
			return
		case <-r.sigch:
			r.Reap()
		}
	}
}

// Reap collects every exited child now and dispatches their statuses.
func (r *Reaper) Reap() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if errors.Is(err, syscall.ECHILD) {
			r.noChildren = true
			break
		}
		if err != nil || pid <= 0 {
			r.noChildren = false
			break
		}
		if p, ok := r.waiters[pid]; ok {
			delete(r.waiters, pid)
			p.status = ws
			close(p.done)
		} else if r.OnOrphan != nil {
			r.OnOrphan(pid, ws)
		}
	}
	close(r.changed)
	r.changed = make(chan struct{})
}

// Start forks and execs path with argv and attr, and registers the pid before
// the reaper can see its exit.
func (r *Reaper) Start(path string, argv []string, attr *syscall.ProcAttr) (*Proc, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pid, err := syscall.ForkExec(path, argv, attr)
	if err != nil {
		return nil, err
	}
	p := &Proc{Pid: pid, done: make(chan struct{})}
	r.waiters[pid] = p
	r.noChildren = false
	return p, nil
}

// WaitNoChildren returns once nbinit has no child left at all, zombie or
// running, or when ctx ends. As PID 1 or a subreaper this means every
// descendant is gone, because orphans are re-parented to nbinit.
func (r *Reaper) WaitNoChildren(ctx context.Context) error {
	for {
		r.mu.Lock()
		done, changed := r.noChildren, r.changed
		r.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Proc is a started child.
type Proc struct {
	Pid    int
	done   chan struct{}
	status syscall.WaitStatus
}

// Done is closed once the child has been reaped.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Status is the wait status; valid after Done is closed.
func (p *Proc) Status() syscall.WaitStatus { return p.status }

// Wait blocks until the child is reaped or ctx ends.
func (p *Proc) Wait(ctx context.Context) (syscall.WaitStatus, error) {
	select {
	case <-p.done:
		return p.status, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Signal sends sig to the child; a child already reaped is not signalled, so
// a recycled pid is never hit.
func (p *Proc) Signal(sig syscall.Signal) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	return syscall.Kill(p.Pid, sig)
}

// SignalGroup sends sig to the child's process group (the child must have
// been started as a group leader). The group may outlive its leader, so this
// is sent even after the leader has been reaped.
func (p *Proc) SignalGroup(sig syscall.Signal) error {
	err := syscall.Kill(-p.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// ExitCode maps a wait status the shell way: the exit code, or 128+N when
// killed by signal N.
func ExitCode(ws syscall.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// Describe says how a process ended, for log lines: "exit 3" or
// "killed by SIGTERM".
func Describe(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return "killed by " + SignalName(ws.Signal())
	}
	return "exit " + strconv.Itoa(ws.ExitStatus())
}

// SignalName is the conventional name of s, such as SIGTERM.
func SignalName(s syscall.Signal) string {
	if n := unix.SignalName(s); n != "" {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}
