package launch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// LabelImage records on the container the image as the user named it, for ls.
const LabelImage = "dev.nbkit.notebook.image"

// resolveImage finds the image locally (nbkit run never pulls). A bare name
// such as "jupyter" also finds nbkit's own nbkit/jupyter:latest, which is
// what `make up` runs.
func resolveImage(ctx context.Context, cli Engine, ref string) (string, map[string]string, error) {
	candidates := []string{ref}
	if !strings.ContainsAny(ref, "/:@") {
		candidates = append(candidates, "nbkit/"+ref+":latest")
	}
	for _, c := range candidates {
		res, err := cli.ImageInspect(ctx, c)
		if err == nil {
			var labels map[string]string
			if res.Config != nil {
				labels = res.Config.Labels
			}
			return c, labels, nil
		}
		if !errdefs.IsNotFound(err) {
			return "", nil, fmt.Errorf("inspecting image %s: %w", c, err)
		}
	}
	return "", nil, fmt.Errorf("image %s is not in the engine (nbkit run does not pull): build it with `nbkit build`, or `docker load` it", strings.Join(candidates, " or "))
}

// createContainer creates the notebook's container the way the notebook
// controller's pod spec describes it.
func createContainer(ctx context.Context, cli Engine, s Spec) (string, error) {
	labels := s.labels()
	labels[LabelImage] = s.Image
	labels[LabelServerType] = string(s.ServerType)
	cfg := &container.Config{
		Image:      s.Image,
		Env:        []string{"NB_PREFIX=" + s.Prefix()},
		User:       "1000",
		WorkingDir: HomeDir,
		Labels:     labels,
		// `nbkit stop` and `docker stop` then give the same grace period.
		StopTimeout: ptr(int(s.grace() / time.Second)),
	}
	hc := &container.HostConfig{
		Mounts:   []mount.Mount{homeMount(s)},
		GroupAdd: []string{strconv.Itoa(fsGroup)},
		Resources: container.Resources{
			NanoCPUs: s.NanoCPUs,
			Memory:   s.MemoryBytes,
		},
	}
	s.Network.configure(cfg, hc)
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Name: s.ContainerName(), Config: cfg, HostConfig: hc})
	if err != nil {
		return "", fmt.Errorf("creating container %s: %w", s.ContainerName(), err)
	}
	return res.ID, nil
}

func ptr[T any](v T) *T { return &v }

// ErrAlreadyRunning means another nbkit run (or a manual start) serves the notebook.
var ErrAlreadyRunning = errors.New("already running")

// removeOld removes the container an earlier run left, stopped, so that a new
// one starts from the image, as a new pod does. A running one is refused.
func removeOld(ctx context.Context, cli Engine, s Spec) error {
	ins, err := cli.ContainerInspect(ctx, s.ContainerName(), client.ContainerInspectOptions{})
	if errdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspecting container %s: %w", s.ContainerName(), err)
	}
	c := ins.Container
	if c.Config == nil || c.Config.Labels[engine.LabelManaged] != managedValue {
		return fmt.Errorf("container %s exists but was not created by nbkit run: remove it or pick another --name", s.ContainerName())
	}
	if c.State != nil && c.State.Running {
		return fmt.Errorf("notebook %s/%s is %w: stop it with `nbkit stop %s --namespace %s`", s.Namespace, s.Name, ErrAlreadyRunning, s.Name, s.Namespace)
	}
	return removeContainer(ctx, cli, c.ID)
}

// stopContainer sends SIGTERM and, after the grace period, SIGKILL.
func stopContainer(ctx context.Context, cli Engine, id string, grace time.Duration) error {
	secs := int(grace / time.Second)
	if _, err := cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &secs}); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("stopping container %.12s: %w", id, err)
	}
	return nil
}

func removeContainer(ctx context.Context, cli Engine, id string) error {
	if _, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("removing container %.12s: %w", id, err)
	}
	return nil
}
