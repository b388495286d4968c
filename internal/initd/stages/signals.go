package stages

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// handleSignals turns SIGTERM, SIGINT and SIGQUIT into a stop and ignores
// SIGHUP. SIGQUIT is caught because Go's default would end PID 1 with a
// stack dump. signal.Notify (not signal.Ignore) is used for SIGHUP because
// an ignored signal stays ignored in every child after exec.
func (in *initProc) handleSignals(ctx context.Context) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP)
	go func() {
		defer signal.Stop(ch)
		for {
			select {
			case <-ctx.Done():
				return
			case sig := <-ch:
				s := sig.(syscall.Signal)
				if s == syscall.SIGHUP {
					in.log.Logf(logline.Info, "signal", "", "SIGHUP ignored (the container keeps running)")
					continue
				}
				if in.cfg.CmdReceiveSignals && in.forwardToCmd(s) {
					continue
				}
				in.requestStop(fmt.Sprintf("received %v", reap.SignalName(s)))
			}
		}
	}()
}

func (in *initProc) requestStop(reason string) {
	in.stopOnce.Do(func() {
		in.mu.Lock()
		in.stopping = true
		in.mu.Unlock()
		in.log.Logf(logline.Info, "stop", "", "stopping the container: %s", reason)
		close(in.stopCh)
	})
}

func (in *initProc) isStopping() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.stopping
}
