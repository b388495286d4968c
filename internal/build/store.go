package build

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
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
	ImageRemove(ctx context.Context, image string, options client.ImageRemoveOptions) (client.ImageRemoveResult, error)
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

// Tag implements Store. The build dst names until now is superseded: when it is
// left with no name but its input-hash tag, nbkit removes it, so rebuilding
// the tree day after day does not fill the engine with old builds. An image a
// container still uses, or one someone tagged by hand, stays.
func (s EngineStore) Tag(ctx context.Context, src, dst string) error {
	old, _ := s.Engine.ImageInspect(ctx, dst)
	if _, err := s.Engine.ImageTag(ctx, client.ImageTagOptions{Source: src, Target: dst}); err != nil {
		return fmt.Errorf("tagging %s: %w", dst, err)
	}
	if old.ID == "" || old.Config == nil || old.Config.Labels[engine.LabelManaged] != "build" {
		return nil
	}
	now, err := s.Engine.ImageInspect(ctx, old.ID)
	if err != nil || now.ID == "" {
		return nil
	}
	if len(now.RepoTags) == 1 && isHashTag(now.RepoTags[0], now.Config.Labels[LabelInputsHash]) {
		s.Engine.ImageRemove(ctx, now.RepoTags[0], client.ImageRemoveOptions{PruneChildren: true})
	}
	return nil
}

// isHashTag reports whether ref is the input-hash tag the builder gave an image.
func isHashTag(ref, hash string) bool {
	i := strings.LastIndex(ref, ":")
	return i >= 0 && len(hash) >= 12 && ref[i+1:] == hash[:12]
}
