package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// proberClient lists the engine calls the prober makes.
type proberClient interface {
	imageImporter
	ContainerCreate(ctx context.Context, options client.ContainerCreateOptions) (client.ContainerCreateResult, error)
	ContainerStart(ctx context.Context, containerID string, options client.ContainerStartOptions) (client.ContainerStartResult, error)
	ContainerRemove(ctx context.Context, containerID string, options client.ContainerRemoveOptions) (client.ContainerRemoveResult, error)
	ExecCreate(ctx context.Context, containerID string, options client.ExecCreateOptions) (client.ExecCreateResult, error)
	ExecAttach(ctx context.Context, execID string, options client.ExecAttachOptions) (client.ExecAttachResult, error)
}

// A Prober reaches the loopback interface of a container that has no network
// of its own (--network none), the way a sidecar in the same Kubernetes pod
// would: through a helper container that shares the target's network
// namespace. Each connection is one exec of the relay in the helper, carried
// over the Engine API, so nothing listens on the host and no traffic leaves
// loopback inside the namespace.
type Prober struct {
	cli      proberClient
	helperID string
}

// NewProber starts the helper container next to containerID, which must be
// running. labels are added to the helper's (the caller's managed/session labels).
func NewProber(ctx context.Context, cli proberClient, containerID string, labels map[string]string) (*Prober, error) {
	ref, err := EnsureRelayImage(ctx, cli)
	if err != nil {
		return nil, err
	}
	all := Managed("relay")
	maps.Copy(all, labels)
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: ref, User: "65534:65534", Labels: all},
		HostConfig: &container.HostConfig{
			NetworkMode: container.NetworkMode("container:" + containerID),
			CapDrop:     []string{"ALL"},
			SecurityOpt: []string{"no-new-privileges"},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating probe helper for %.12s: %w", containerID, err)
	}
	p := &Prober{cli: cli, helperID: created.ID}
	if _, err := cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		p.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("starting probe helper for %.12s (is the container running?): %w", containerID, err)
	}
	return p, nil
}

// DialContext connects to addr (for example "127.0.0.1:8888") inside the
// target's network namespace. A refused connection fails here, not on first use.
func (p *Prober) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return nil, fmt.Errorf("probe: unsupported network %q", network)
	}
	exec, err := p.cli.ExecCreate(ctx, p.helperID, client.ExecCreateOptions{
		Cmd:         []string{"/" + relayName, addr},
		AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, fmt.Errorf("probe: dialing %s: %w", addr, err)
	}
	att, err := p.cli.ExecAttach(ctx, exec.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, fmt.Errorf("probe: dialing %s: %w", addr, err)
	}
	conn := newExecConn(att.HijackedResponse)
	if d, ok := ctx.Deadline(); ok {
		conn.SetReadDeadline(d)
	}
	var ready [1]byte
	if _, err := io.ReadFull(conn, ready[:]); err != nil || ready[0] != relayReady {
		conn.Close()
		if msg := conn.stderrText(); msg != "" {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New(msg)}
		}
		return nil, fmt.Errorf("probe: dialing %s: relay gave no answer: %v", addr, err)
	}
	conn.SetReadDeadline(time.Time{})
	return conn, nil
}

// HTTPClient returns a client whose connections go through the prober.
// Redirects are returned, not followed: the checks judge where they point.
func (p *Prober) HTTPClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         p.DialContext,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Close removes the helper container.
func (p *Prober) Close(ctx context.Context) error {
	_, err := p.cli.ContainerRemove(ctx, p.helperID, client.ContainerRemoveOptions{Force: true})
	if err != nil {
		return fmt.Errorf("removing probe helper: %w", err)
	}
	return nil
}
