package build

import (
	"context"
	"errors"
	"fmt"

	"github.com/moby/moby/client"
)

// Store is where built images live and where a run looks for up-to-date
// ones: the local engine, or the registry a run pushes to.
type Store interface {
	// Lookup returns the image's ID (config digest, or manifest digest in a
	// registry) and its labels; ErrNotFound when it does not exist.
	Lookup(ctx context.Context, ref string) (id string, labels map[string]string, err error)
	// Tag gives the image at src the reference dst as well.
	Tag(ctx context.Context, src, dst string) error
}

// ErrNotFound is returned by Store.Lookup for a missing image.
var ErrNotFound = errors.New("image not found")

// EngineImages is the part of the Engine API the engine store uses.
type EngineImages interface {
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ImageTag(ctx context.Context, opts client.ImageTagOptions) (client.ImageTagResult, error)
}

// EngineStore is the engine's local image store.
type EngineStore struct{ Engine EngineImages }

// Lookup implements Store.
func (s EngineStore) Lookup(ctx context.Context, ref string) (string, map[string]string, error) {
	ins, err := s.Engine.ImageInspect(ctx, ref)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %s (%v)", ErrNotFound, ref, err)
	}
	var labels map[string]string
	if ins.Config != nil {
		labels = ins.Config.Labels
	}
	return ins.ID, labels, nil
}

// Tag implements Store.
func (s EngineStore) Tag(ctx context.Context, src, dst string) error {
	if _, err := s.Engine.ImageTag(ctx, client.ImageTagOptions{Source: src, Target: dst}); err != nil {
		return fmt.Errorf("tagging %s: %w", dst, err)
	}
	return nil
}
