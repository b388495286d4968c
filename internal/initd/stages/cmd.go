package stages

import (
	"fmt"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/execdiag"
	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// startCmd runs the CMD (with S6_CMD_ARG0 in front) in the recorded working
// directory with the container environment. Its exit stops the container
// with its exit code.
func (in *initProc) startCmd(cmd []string) {
	log := in.log.Stage("cmd", "")
	argv := append(slices.Clone(in.cfg.CmdArg0), cmd...)
	env := in.childEnv()
	path, err := execdiag.LookPath(argv[0], pathOf(env))
	var p *reap.Proc
	if err == nil {
		p, err = in.reaper.Start(path, argv, &syscall.ProcAttr{
			Dir:   in.workdir,
			Env:   env,
			Files: []uintptr{in.stdio.In.Fd(), in.stdio.Out.Fd(), in.stdio.Err.Fd()},
			Sys:   in.cmdSysProcAttr(),
		})
	}
	if err != nil {
		code := execdiag.Code(err)
		log.Errorf("%s (exit %d)", execdiag.Explain(path, err), code)
		in.recordExitCode(code)
		in.requestStop(fmt.Sprintf("the CMD could not start (exit %d)", code))
		return
	}
	in.mu.Lock()
	in.cmd = p
	in.mu.Unlock()
	log.Stepf("started %q (pid %d)", argv, p.Pid)
	go func() {
		<-p.Done()
		code := reap.ExitCode(p.Status())
		in.mu.Lock()
		stopping := in.stopping
		in.mu.Unlock()
		if stopping {
			log.Stepf("exited %d during the stop", code)
			return
		}
		in.recordExitCode(code)
		in.requestStop(fmt.Sprintf("the CMD %s", reap.Describe(p.Status())))
	}()
}

// cmdSysProcAttr puts the CMD in its own process group and, when nbinit owns
// a terminal (docker run -it), makes that group the terminal's foreground so
// an interactive shell gets Ctrl-C and job control.
func (in *initProc) cmdSysProcAttr() *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if _, err := unix.IoctlGetInt(int(in.stdio.In.Fd()), unix.TIOCGPGRP); err == nil {
		a.Foreground = true
		a.Ctty = 0
	}
	return a
}

// forwardToCmd implements S6_CMD_RECEIVE_SIGNALS: the signal goes to the
// CMD's process group, and its exit then stops the container.
func (in *initProc) forwardToCmd(sig syscall.Signal) bool {
	in.mu.Lock()
	p := in.cmd
	in.mu.Unlock()
	if p == nil {
		return false
	}
	in.log.Logf(logline.Info, "signal", "", "forwarding %s to the CMD (S6_CMD_RECEIVE_SIGNALS=1)", reap.SignalName(sig))
	p.SignalGroup(sig)
	return true
}

func pathOf(env []string) string {
	p, _ := contenv.Env(env).Get("PATH")
	return p
}
