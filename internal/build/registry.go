package build

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// RegistryStore is a container registry, for runs that push: images are
// looked up and tagged there, so a fleet build skips what the registry
// already holds without pulling anything.
type RegistryStore struct {
	Insecure bool // plain HTTP (a registry on a private network or loopback)
}

func (s RegistryStore) ref(r string) (name.Reference, error) {
	var opts []name.Option
	if s.Insecure {
		opts = append(opts, name.Insecure)
	}
	return name.ParseReference(r, opts...)
}

// Lookup implements Store. For a multi-platform index the labels are those
// of its first image: every platform is built from the same inputs.
func (s RegistryStore) Lookup(ctx context.Context, r string) (string, map[string]string, error) {
	ref, err := s.ref(r)
	if err != nil {
		return "", nil, err
	}
	desc, err := remote.Get(ref, remote.WithContext(ctx))
	var terr *transport.Error
	if errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound {
		return "", nil, fmt.Errorf("%w: %s", ErrNotFound, r)
	}
	if err != nil {
		return "", nil, fmt.Errorf("looking up %s: %w", r, err)
	}
	img, err := desc.Image()
	if desc.MediaType.IsIndex() {
		idx, ierr := desc.ImageIndex()
		if ierr != nil {
			return "", nil, ierr
		}
		m, ierr := idx.IndexManifest()
		if ierr != nil || len(m.Manifests) == 0 {
			return "", nil, fmt.Errorf("reading index %s: %v", r, ierr)
		}
		img, err = idx.Image(m.Manifests[0].Digest)
	}
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", r, err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return "", nil, fmt.Errorf("reading config of %s: %w", r, err)
	}
	return desc.Digest.String(), cfg.Config.Labels, nil
}

// Tag implements Store.
func (s RegistryStore) Tag(ctx context.Context, src, dst string) error {
	from, err := s.ref(src)
	if err != nil {
		return err
	}
	to, err := s.ref(dst)
	if err != nil {
		return err
	}
	desc, err := remote.Get(from, remote.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("tagging %s: %w", dst, err)
	}
	tag, ok := to.(name.Tag)
	if !ok {
		return fmt.Errorf("tagging %s: not a tag", dst)
	}
	if err := remote.Tag(tag, desc, remote.WithContext(ctx)); err != nil {
		return fmt.Errorf("tagging %s: %w", dst, err)
	}
	return nil
}
