package kubeflow

import (
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
)

// What every Kubeflow notebook pod has, whatever the cluster.
const (
	// HomeDir is where the workspace PVC is mounted, and the working dir.
	HomeDir = "/home/jovyan"
	// Port is the container port the notebook's Service targets.
	Port = 8888
	// FSGroup is the pod's securityContext.fsGroup: kubelet makes the PVC's
	// root group 100 with the setgid bit, and adds 100 to the process groups.
	FSGroup = 100
	// DefaultGrace is terminationGracePeriodSeconds' default.
	DefaultGrace = 30 * time.Second
	// DefaultNamespace is the profile namespace of Kubeflow's example user.
	DefaultNamespace = "kubeflow-user-example-com"
)

// Prefix is the NB_PREFIX the notebook controller gives notebook name in
// namespace ns (no trailing slash).
func Prefix(ns, name string) string { return "/notebook/" + ns + "/" + name }

// Pod is one notebook pod's container as the notebook controller creates it.
type Pod struct {
	Image string
	// Prefix is NB_PREFIX.
	Prefix string
	// Volume is the engine volume standing in for the home PVC.
	Volume string
	// Security is the cluster's security context.
	Security SecurityContext
	// NanoCPUs and MemoryBytes are the limits; zero means none.
	NanoCPUs    int64
	MemoryBytes int64
	// Grace is the stop grace period; zero means DefaultGrace.
	Grace  time.Duration
	Labels map[string]string
}

// Container returns the engine's create request for the pod's notebook
// container: no network (callers that publish a port change that), the home
// volume without the engine's copy of the image's home (a new PVC is empty).
func (p Pod) Container() (*container.Config, *container.HostConfig) {
	grace := p.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	stop := int(grace / time.Second)
	cfg := &container.Config{
		Image:       p.Image,
		User:        p.Security.RunAsUser,
		Env:         []string{"NB_PREFIX=" + p.Prefix},
		WorkingDir:  HomeDir,
		Labels:      p.Labels,
		StopTimeout: &stop,
	}
	hc := &container.HostConfig{
		NetworkMode: "none",
		GroupAdd:    []string{strconv.Itoa(FSGroup)},
		Mounts: []mount.Mount{{
			Type: mount.TypeVolume, Source: p.Volume, Target: HomeDir,
			VolumeOptions: &mount.VolumeOptions{NoCopy: true},
		}},
		Resources: container.Resources{NanoCPUs: p.NanoCPUs, Memory: p.MemoryBytes},
	}
	p.Security.apply(hc)
	return cfg, hc
}
