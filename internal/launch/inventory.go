package launch

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// Inventory finds the notebooks nbkit run left in the engine, by label.
type Inventory interface {
	ContainerList(ctx context.Context, options client.ContainerListOptions) (client.ContainerListResult, error)
	ContainerStop(ctx context.Context, containerID string, options client.ContainerStopOptions) (client.ContainerStopResult, error)
	ContainerRemove(ctx context.Context, containerID string, options client.ContainerRemoveOptions) (client.ContainerRemoveResult, error)
	VolumeList(ctx context.Context, options client.VolumeListOptions) (client.VolumeListResult, error)
	VolumeRemove(ctx context.Context, volumeID string, options client.VolumeRemoveOptions) (client.VolumeRemoveResult, error)
}

// Entry is one notebook: its container, its volume, or both.
type Entry struct {
	Name, Namespace string
	Image           string
	State           string // the container's state, or "removed" when only the volume is left
	Volume          string // empty when the volume is gone
	containerID     string
}

func managedFilter() client.Filters {
	return make(client.Filters).Add("label", engine.LabelManaged+"="+managedValue).Add("label", LabelName)
}

// List returns the notebooks, sorted by namespace and name.
func List(ctx context.Context, cli Inventory) ([]Entry, error) {
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: managedFilter()})
	if err != nil {
		return nil, fmt.Errorf("listing notebooks: %w", err)
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: managedFilter()})
	if err != nil {
		return nil, fmt.Errorf("listing notebook volumes: %w", err)
	}
	byKey := map[string]*Entry{}
	key := func(l map[string]string) string { return l[LabelNamespace] + "/" + l[LabelName] }
	for _, c := range cs.Items {
		byKey[key(c.Labels)] = &Entry{
			Name: c.Labels[LabelName], Namespace: c.Labels[LabelNamespace], Image: c.Labels[LabelImage],
			State: string(c.State), containerID: c.ID,
		}
	}
	for _, v := range vs.Items {
		e, ok := byKey[key(v.Labels)]
		if !ok {
			e = &Entry{Name: v.Labels[LabelName], Namespace: v.Labels[LabelNamespace], State: "removed"}
			byKey[key(v.Labels)] = e
		}
		e.Volume = v.Name
	}
	out := make([]Entry, 0, len(byKey))
	for _, e := range byKey {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Namespace+"/"+out[i].Name < out[j].Namespace+"/"+out[j].Name
	})
	return out, nil
}

// ErrNoNotebook means no notebook of that name exists.
var ErrNoNotebook = errors.New("no such notebook")

// Find returns the notebook called name; namespace may be empty when the
// name is unique.
func Find(ctx context.Context, cli Inventory, name, namespace string) (Entry, error) {
	all, err := List(ctx, cli)
	if err != nil {
		return Entry{}, err
	}
	var found []Entry
	for _, e := range all {
		if e.Name == name && (namespace == "" || e.Namespace == namespace) {
			found = append(found, e)
		}
	}
	switch len(found) {
	case 0:
		return Entry{}, fmt.Errorf("%w %q (see `nbkit ls`)", ErrNoNotebook, name)
	case 1:
		return found[0], nil
	}
	var ns []string
	for _, e := range found {
		ns = append(ns, e.Namespace)
	}
	return Entry{}, fmt.Errorf("notebook %q exists in namespaces %s: name one with --namespace", name, strings.Join(ns, ", "))
}

// Stop stops the notebook's container with SIGTERM and the grace period it
// was created with; container and volume stay.
func (e Entry) Stop(ctx context.Context, cli Inventory) error {
	if e.containerID == "" {
		return nil
	}
	if _, err := cli.ContainerStop(ctx, e.containerID, client.ContainerStopOptions{}); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("stopping notebook %s/%s: %w", e.Namespace, e.Name, err)
	}
	return nil
}

// Remove stops and removes the container and, with volume, the home volume.
func (e Entry) Remove(ctx context.Context, cli Inventory, volume bool) error {
	if err := e.Stop(ctx, cli); err != nil {
		return err
	}
	// A relay helper left by an nbkit run that was killed holds the
	// container's network namespace.
	helpers, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).
		Add("label", engine.LabelManaged+"=relay").
		Add("label", LabelName+"="+e.Name).
		Add("label", LabelNamespace+"="+e.Namespace)})
	if err != nil {
		return fmt.Errorf("listing relay helpers of %s/%s: %w", e.Namespace, e.Name, err)
	}
	for _, h := range helpers.Items {
		if _, err := cli.ContainerRemove(ctx, h.ID, client.ContainerRemoveOptions{Force: true}); err != nil && !errdefs.IsNotFound(err) {
			return fmt.Errorf("removing relay helper of %s/%s: %w", e.Namespace, e.Name, err)
		}
	}
	if e.containerID != "" {
		if _, err := cli.ContainerRemove(ctx, e.containerID, client.ContainerRemoveOptions{}); err != nil && !errdefs.IsNotFound(err) {
			return fmt.Errorf("removing notebook %s/%s: %w", e.Namespace, e.Name, err)
		}
	}
	if volume && e.Volume != "" {
		if _, err := cli.VolumeRemove(ctx, e.Volume, client.VolumeRemoveOptions{}); err != nil && !errdefs.IsNotFound(err) {
			return fmt.Errorf("removing volume %s: %w", e.Volume, err)
		}
	}
	return nil
}
