package launch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Phase is where the notebook is in its life, as the dashboard shows it.
type Phase string

const (
	PhaseStarting Phase = "starting" // container started, server not answering yet
	PhaseReady    Phase = "ready"
	PhaseStopping Phase = "stopping"
	PhaseStopped  Phase = "stopped"
	PhaseFailed   Phase = "failed"
)

// Status is a snapshot of the notebook for the dashboard.
type Status struct {
	Phase       Phase     `json:"phase"`
	Error       string    `json:"error,omitempty"`
	ContainerID string    `json:"containerId,omitempty"`
	StartedAt   time.Time `json:"startedAt"`
	// ReadySeconds is the time from start to the first good answer.
	ReadySeconds float64 `json:"readySeconds,omitempty"`
	Generation   int     `json:"generation"`
}

// Status reports the phase, noticing a container that stopped behind nbkit's
// back (nbkit stop from another terminal, a crash, an OOM kill).
func (n *Notebook) Status(ctx context.Context) Status {
	n.mu.Lock()
	st := Status{Phase: n.phase, ContainerID: n.containerID, StartedAt: n.startedAt,
		ReadySeconds: n.readyAfter.Seconds(), Generation: n.generation}
	if n.err != nil {
		st.Error = n.err.Error()
	}
	n.mu.Unlock()
	if st.Phase != PhaseReady {
		return st
	}
	ins, err := n.cli.ContainerInspect(ctx, st.ContainerID, client.ContainerInspectOptions{})
	var exited error
	switch {
	case errdefs.IsNotFound(err):
		exited = errors.New("the container was removed")
	case err == nil && ins.Container.State != nil && !ins.Container.State.Running:
		exited = fmt.Errorf("the container exited with status %d", ins.Container.State.ExitCode)
	}
	if exited != nil {
		if n.op.TryLock() {
			n.mu.Lock()
			r := n.reach
			n.reach = nil
			n.mu.Unlock()
			if r != nil {
				r.Close(context.WithoutCancel(ctx))
			}
			n.setPhase(PhaseStopped, exited)
			n.op.Unlock()
		}
		st.Phase, st.Error = PhaseStopped, exited.Error()
	}
	return st
}

// changes returns a channel closed at the next phase change.
func (n *Notebook) changes() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.changed
}

func (n *Notebook) setPhase(p Phase, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.phase, n.err = p, err
	close(n.changed)
	n.changed = make(chan struct{})
}
