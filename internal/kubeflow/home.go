package kubeflow

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"path"
	"time"

	"github.com/moby/moby/client"
)

// HomeCopier is the one engine call home preparation needs.
type HomeCopier interface {
	CopyToContainer(ctx context.Context, container string, options client.CopyToContainerOptions) (client.CopyToContainerResult, error)
}

// HomeFile is a file put into the home before the first start (relative to
// the home, owned root:100 like what a provisioner leaves).
type HomeFile struct {
	Name string
	Mode int64
	Body []byte
}

// PrepareHome gives the home volume's root what kubelet gives a PVC for
// fsGroup 100 (owner root, group 100, mode 2775, so files the user creates
// belong to group 100), plus files, through the engine's archive API into a
// created, not yet started container whose volumes the engine mounts for the
// copy: no helper process, and no shell or chown needed in the image.
func PrepareHome(ctx context.Context, cli HomeCopier, containerID string, files ...HomeFile) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	base := path.Base(HomeDir) + "/"
	now := time.Now()
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: base, Mode: 0o2775, Uid: 0, Gid: FSGroup, ModTime: now})
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: base + f.Name, Mode: f.Mode, Uid: 0, Gid: FSGroup, Size: int64(len(f.Body)), ModTime: now})
		tw.Write(f.Body)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("packing home volume root: %w", err)
	}
	// CopyUIDGID stays false: the engine then keeps the archive's owners.
	if _, err := cli.CopyToContainer(ctx, containerID, client.CopyToContainerOptions{DestinationPath: path.Dir(HomeDir), Content: &buf}); err != nil {
		return fmt.Errorf("preparing home volume (root:%d, mode 2775): %w", FSGroup, err)
	}
	return nil
}
