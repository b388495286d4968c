package launch

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"path"

	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// fsGroup is the pod's securityContext.fsGroup in Kubeflow notebooks.
const fsGroup = 100

// ensureVolume creates the home volume, or finds the one an earlier run left:
// like a PVC, it outlives the notebook's containers.
func ensureVolume(ctx context.Context, cli Engine, s Spec) error {
	res, err := cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: s.VolumeName(), Labels: s.labels()})
	if err != nil {
		return fmt.Errorf("creating home volume %s: %w", s.VolumeName(), err)
	}
	// The engine returns an existing volume of that name as it is: make sure
	// it is ours before the notebook writes into it.
	if got := res.Volume.Labels[engine.LabelManaged]; got != managedValue {
		return fmt.Errorf("volume %s exists but was not created by nbkit run (label %s=%q): remove or rename it, or pick another --name",
			s.VolumeName(), engine.LabelManaged, got)
	}
	return nil
}

// homeMount mounts the volume at /home/jovyan without the engine's copy of the
// image's /home/jovyan into a fresh volume: a new PVC is empty.
func homeMount(s Spec) mount.Mount {
	return mount.Mount{
		Type:          mount.TypeVolume,
		Source:        s.VolumeName(),
		Target:        HomeDir,
		VolumeOptions: &mount.VolumeOptions{NoCopy: true},
	}
}

// prepareHome gives the volume's root what kubelet gives a PVC for fsGroup
// 100: owner root, group 100, mode 2775, so that files the user creates
// belong to group 100. It writes one directory entry through the engine's
// archive API into the created, not yet started container, whose volumes the
// engine mounts for the copy: no helper container, and no shell or chown
// needed in the image.
func prepareHome(ctx context.Context, cli Engine, containerID string) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeDir,
		Name:     path.Base(HomeDir) + "/",
		Mode:     0o2775, Uid: 0, Gid: fsGroup,
	})
	tw.Close()
	_, err := cli.CopyToContainer(ctx, containerID, client.CopyToContainerOptions{
		DestinationPath: path.Dir(HomeDir),
		Content:         &buf,
	})
	if err != nil {
		return fmt.Errorf("preparing home volume with fsGroup %d: %w", fsGroup, err)
	}
	return nil
}
