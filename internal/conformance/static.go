package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Static is the driver for images on disk — a `docker save` tarball or an OCI
// layout directory — with no engine: it evaluates what the image's config and
// files show (user, port metadata, init-files) and skips the rest.
type Static struct{}

func (Static) Name() string { return "static" }

// Check reads the image at path (tarball or OCI layout dir).
func (Static) Check(ctx context.Context, path string, p *Plan) error {
	img, err := openImage(path)
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return fmt.Errorf("reading the config of %s: %w", path, err)
	}
	p.setIDE(ideFromLabels(cf.Config.Labels))
	files := newImageFiles()
	rc := mutate.Extract(img)
	err = files.add(rc, "/")
	rc.Close()
	if err != nil {
		return fmt.Errorf("reading the layers of %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ru := resolveUser(cf.Config.User, files.content["/etc/passwd"], files.content["/etc/group"])
	p.run(CheckUser, func() Outcome { return checkUser(files, cf.Config.User) })
	p.run(CheckInitFiles, func() Outcome { return checkInitFiles(files, ru) })
	p.run(CheckPort, func() Outcome {
		if _, ok := cf.Config.ExposedPorts["8888/tcp"]; ok {
			return pass("the image exposes 8888 (static: the server was not started)")
		}
		return advisory("the image does not EXPOSE 8888 (static: the server was not started); add `EXPOSE 8888`")
	})
	return nil
}

// openImage opens a docker-save tarball or the single image of an OCI layout.
func openImage(path string) (v1.Image, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist; give a `docker save` tarball or an OCI layout directory", ErrImageMissing, path)
		}
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if !st.IsDir() {
		img, err := tarball.ImageFromPath(path, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: reading %s as a `docker save` tarball (one image per tarball): %v", ErrImageMissing, path, err)
		}
		return img, nil
	}
	idx, err := layout.ImageIndexFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s as an OCI layout (index.json): %v", ErrImageMissing, path, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading %s/index.json: %w", path, err)
	}
	for _, desc := range im.Manifests {
		if desc.MediaType.IsImage() {
			return idx.Image(desc.Digest)
		}
		if desc.MediaType.IsIndex() {
			child, err := idx.ImageIndex(desc.Digest)
			if err != nil {
				return nil, fmt.Errorf("reading nested index %s in %s: %w", desc.Digest, path, err)
			}
			cm, err := child.IndexManifest()
			if err != nil {
				return nil, fmt.Errorf("reading nested index %s in %s: %w", desc.Digest, path, err)
			}
			for _, c := range cm.Manifests {
				if c.MediaType.IsImage() && (c.Platform == nil || c.Platform.OS == "linux" && c.Platform.Architecture == runtime.GOARCH) {
					return child.Image(c.Digest)
				}
			}
		}
	}
	return nil, fmt.Errorf("%w: the OCI layout %s holds no linux/%s image", ErrImageMissing, path, runtime.GOARCH)
}
