package launch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// NetworkMode says how nbkit reaches the notebook's port 8888.
type NetworkMode string

const (
	// NetworkAuto picks bridge when the engine has a bridge network, else none.
	NetworkAuto NetworkMode = "auto"
	// NetworkNone gives the container no network at all and reaches its
	// loopback through a relay sharing its network namespace, like a sidecar.
	NetworkNone NetworkMode = "none"
	// NetworkBridge publishes port 8888 on 127.0.0.1 of the host.
	NetworkBridge NetworkMode = "bridge"
)

// ParseNetworkMode accepts the values of the --network flag.
func ParseNetworkMode(s string) (NetworkMode, error) {
	switch m := NetworkMode(s); m {
	case NetworkAuto, NetworkNone, NetworkBridge:
		return m, nil
	}
	return "", fmt.Errorf("--network %q: use auto, none or bridge", s)
}

// resolve turns auto into a concrete mode with one cheap engine call: an
// engine started with --bridge=none has no network named "bridge".
func (m NetworkMode) resolve(ctx context.Context, cli Engine) NetworkMode {
	if m != NetworkAuto && m != "" {
		return m
	}
	if _, err := cli.NetworkInspect(ctx, "bridge", client.NetworkInspectOptions{}); err == nil {
		return NetworkBridge
	}
	return NetworkNone
}

var notebookPort = network.MustParsePort(strconv.Itoa(NotebookPort) + "/tcp")

// configure sets the container's network for the mode.
func (m NetworkMode) configure(cfg *container.Config, hc *container.HostConfig) {
	if m != NetworkBridge {
		hc.NetworkMode = "none"
		return
	}
	cfg.ExposedPorts = network.PortSet{notebookPort: {}}
	hc.PortBindings = network.PortMap{notebookPort: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
}

// A reach connects to port 8888 of one running container; a restarted
// container needs a new one (its namespace or host port changes).
type reach struct {
	transport *http.Transport
	close     func(context.Context) error
}

func newReach(ctx context.Context, cli Engine, m NetworkMode, containerID string, labels map[string]string) (*reach, error) {
	var dial func(ctx context.Context, network, addr string) (net.Conn, error)
	closeFn := func(context.Context) error { return nil }
	switch m {
	case NetworkBridge:
		ins, err := cli.ContainerInspect(ctx, containerID, client.ContainerInspectOptions{})
		if err != nil {
			return nil, fmt.Errorf("inspecting published port: %w", err)
		}
		var hostPort string
		if ns := ins.Container.NetworkSettings; ns != nil {
			for _, b := range ns.Ports[notebookPort] {
				hostPort = b.HostPort
			}
		}
		if hostPort == "" {
			return nil, fmt.Errorf("port %d of %.12s was not published; try --network none", NotebookPort, containerID)
		}
		addr := net.JoinHostPort("127.0.0.1", hostPort)
		var d net.Dialer
		dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		}
	default:
		p, err := engine.NewProber(ctx, cli, containerID, labels)
		if err != nil {
			return nil, err
		}
		dial, closeFn = p.DialContext, p.Close
	}
	return &reach{
		transport: &http.Transport{
			DialContext: dial,
			// Each new connection through the relay costs an exec (~50 ms):
			// keep plenty idle, since a JupyterLab page load opens dozens.
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
		},
		close: closeFn,
	}, nil
}

func (r *reach) Close(ctx context.Context) error {
	r.transport.CloseIdleConnections()
	return r.close(ctx)
}
