package bootstrap

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/moby/moby/client"
	"github.com/nbkit/nbkit/internal/engine"
)

// loadForeign assembles an image for another architecture: the engine's
// import records the host's architecture whatever the rootfs holds, so the
// config is written here (rootfs tar as the only layer) and the image loaded
// in `docker save` format. The rootfs goes through a temporary file because
// a layer's digest must be known before the image is written.
func loadForeign(ctx context.Context, e Engine, o Options, arch string) (string, error) {
	f, err := os.CreateTemp("", "nbkit-rootfs-*.tar")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	cmd := mmdebstrap(ctx, o, arch)
	cmd.Stdout = f
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("running mmdebstrap for %s (foreign architectures need qemu-user-static, binfmt-support and arch-test): %w", arch, err)
	}
	layer, err := tarball.LayerFromFile(f.Name())
	if err != nil {
		return "", fmt.Errorf("reading rootfs: %w", err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return "", err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return "", err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", arch
	cfg.Config.Cmd = []string{"bash"}
	cfg.Config.Env = []string{defaultPath}
	cfg.Config.Labels = o.labels()
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		return "", err
	}
	tag, err := name.NewTag(o.Ref)
	if err != nil {
		return "", fmt.Errorf("image reference %q: %w", o.Ref, err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(tarball.Write(tag, img, pw)) }()
	res, err := e.ImageLoad(ctx, pr, client.ImageLoadWithQuiet(true))
	if err != nil {
		pr.CloseWithError(err)
		return "", fmt.Errorf("loading image: %w", err)
	}
	defer res.Close()
	if _, err := engine.ReadMessages(res); err != nil {
		return "", fmt.Errorf("loading image: %w", err)
	}
	id, err := img.ConfigName()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}
