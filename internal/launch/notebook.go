package launch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// A Notebook is one notebook run by nbkit, across the containers that
// successive starts create for it (a restart makes a new container on the same
// home volume, as Kubeflow makes a new pod on the same PVC).
type Notebook struct {
	cli  Engine
	spec Spec
	// Warnings about the spec found while opening it, for the user.
	Warnings []string

	op sync.Mutex // serializes Start, Stop and Restart

	mu          sync.Mutex
	phase       Phase
	err         error
	containerID string
	reach       *reach
	startedAt   time.Time
	readyAfter  time.Duration
	generation  int           // counts starts
	changed     chan struct{} // closed and replaced on every phase change
}

// Open resolves the spec against the engine (image, server type, network
// mode) without starting anything.
func Open(ctx context.Context, cli Engine, s Spec) (*Notebook, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	n := &Notebook{cli: cli, phase: PhaseStopped, changed: make(chan struct{})}
	img, labels, err := resolveImage(ctx, cli, s.Image)
	if err != nil {
		return nil, err
	}
	s.Image = img
	if v, ok := labels[LabelServerType]; ok {
		t, err := ParseServerType(v)
		if err != nil {
			return nil, fmt.Errorf("image %s, label %s: %w", img, LabelServerType, err)
		}
		if s.ServerType != "" && s.ServerType != t {
			n.Warnings = append(n.Warnings, fmt.Sprintf("image %s says %s=%s; that wins over --server-type %s", img, LabelServerType, t, s.ServerType))
		}
		s.ServerType = t
	}
	if s.ServerType == "" {
		s.ServerType = Jupyter
	}
	s.Network = s.Network.resolve(ctx, cli)
	n.spec = s
	return n, nil
}

// Spec returns the resolved spec.
func (n *Notebook) Spec() Spec { return n.spec }

// Route returns the notebook's Istio-like route.
func (n *Notebook) Route() Route {
	return Route{Prefix: n.spec.Prefix(), Type: n.spec.ServerType, Transport: notebookTransport{n}}
}

// Start creates and starts a fresh container on the home volume and waits
// until the server answers under its route, or until timeout.
func (n *Notebook) Start(ctx context.Context, timeout time.Duration) error {
	n.op.Lock()
	defer n.op.Unlock()
	return n.start(ctx, timeout)
}

func (n *Notebook) start(ctx context.Context, timeout time.Duration) error {
	began := time.Now()
	n.setPhase(PhaseStarting, nil)
	id, err := n.create(ctx)
	if err == nil {
		n.mu.Lock()
		n.containerID, n.startedAt, n.generation = id, began, n.generation+1
		n.mu.Unlock()
		err = n.connect(ctx, id)
	}
	if err == nil {
		err = n.waitReady(ctx, id, timeout)
	}
	if err != nil {
		n.setPhase(PhaseFailed, err)
		return err
	}
	n.mu.Lock()
	n.readyAfter = time.Since(began)
	n.mu.Unlock()
	n.setPhase(PhaseReady, nil)
	return nil
}

func (n *Notebook) create(ctx context.Context) (string, error) {
	if err := removeOld(ctx, n.cli, n.spec); err != nil {
		return "", err
	}
	if err := ensureVolume(ctx, n.cli, n.spec); err != nil {
		return "", err
	}
	id, err := createContainer(ctx, n.cli, n.spec)
	if err != nil {
		return "", err
	}
	if err := prepareHome(ctx, n.cli, id); err != nil {
		return "", err
	}
	if _, err := n.cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return "", fmt.Errorf("starting container %s: %w", n.spec.ContainerName(), err)
	}
	return id, nil
}

func (n *Notebook) connect(ctx context.Context, id string) error {
	r, err := newReach(ctx, n.cli, n.spec.Network, id, n.spec.helperLabels())
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.reach = r
	n.mu.Unlock()
	return nil
}

// Stop stops the container gracefully; the container and volume stay.
func (n *Notebook) Stop(ctx context.Context) error {
	n.op.Lock()
	defer n.op.Unlock()
	return n.stop(ctx)
}

func (n *Notebook) stop(ctx context.Context) error {
	n.mu.Lock()
	id, r := n.containerID, n.reach
	n.reach = nil
	n.mu.Unlock()
	if id == "" {
		return nil
	}
	n.setPhase(PhaseStopping, nil)
	var errs []error
	if r != nil {
		// The relay helper shares the container's namespace: remove it first,
		// or the namespace outlives the notebook.
		errs = append(errs, r.Close(ctx))
	}
	errs = append(errs, stopContainer(ctx, n.cli, id, n.spec.grace()))
	err := errors.Join(errs...)
	n.setPhase(PhaseStopped, err)
	return err
}

// Restart stops the notebook and starts it again on the same volume.
func (n *Notebook) Restart(ctx context.Context, timeout time.Duration) error {
	n.op.Lock()
	defer n.op.Unlock()
	if err := n.stop(ctx); err != nil {
		return err
	}
	return n.start(ctx, timeout)
}

func (n *Notebook) current() (string, *reach) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.containerID, n.reach
}

// notebookTransport sends requests to whichever container is current.
type notebookTransport struct{ n *Notebook }

func (t notebookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	_, reach := t.n.current()
	if reach == nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrNotRunning
	}
	return reach.transport.RoundTrip(r)
}
