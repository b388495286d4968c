package launch

import (
	"fmt"
	"regexp"
	"time"

	"github.com/nbkit/nbkit/internal/engine"
)

// Labels nbkit run puts on its containers and volumes, on top of
// engine.LabelManaged=run, so that ls, stop and rm find them again.
const (
	LabelName      = "dev.nbkit.notebook.name"
	LabelNamespace = "dev.nbkit.notebook.namespace"
	// LabelServerType is read from the image: an image that knows how it
	// must be routed says so, and the --server-type flag is only a fallback.
	LabelServerType = "dev.nbkit.server-type"
)

// managedValue is the engine.LabelManaged value of everything this package creates.
const managedValue = "run"

// Defaults that mirror a Kubeflow cluster.
const (
	// DefaultNamespace is the profile namespace of Kubeflow's example user.
	DefaultNamespace = "kubeflow-user-example-com"
	// DefaultGracePeriod is the pod's terminationGracePeriodSeconds default.
	DefaultGracePeriod = 30 * time.Second
	// NotebookPort is the container port Kubeflow's Service targets.
	NotebookPort = 8888
	// HomeDir is where Kubeflow mounts the workspace PVC.
	HomeDir = "/home/jovyan"
)

// Spec names a notebook and says how to run it.
type Spec struct {
	Image     string
	Name      string
	Namespace string
	// ServerType routes the notebook; empty means: from the image's label,
	// else Jupyter.
	ServerType ServerType
	// NanoCPUs and MemoryBytes limit the container; zero means no limit.
	NanoCPUs    int64
	MemoryBytes int64
	Network     NetworkMode
	GracePeriod time.Duration
	// Labels are added to every object created (tests tag their session).
	Labels map[string]string
}

// dns1123 is the Kubernetes rule for namespace and notebook names.
var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Validate checks the names the way the Kubernetes API server would.
func (s Spec) Validate() error {
	if s.Image == "" {
		return fmt.Errorf("no image given: name one, e.g. nbkit run nbkit/jupyter:latest")
	}
	for _, f := range []struct{ flag, v string }{{"--name", s.Name}, {"--namespace", s.Namespace}} {
		if len(f.v) > 63 || !dns1123.MatchString(f.v) {
			return fmt.Errorf("%s %q is not a Kubernetes name: use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit", f.flag, f.v)
		}
	}
	return nil
}

// Prefix is the NB_PREFIX Kubeflow gives the notebook (no trailing slash).
func (s Spec) Prefix() string { return "/notebook/" + s.Namespace + "/" + s.Name }

// ContainerName is the engine name of the notebook's container.
func (s Spec) ContainerName() string { return "nbkit-" + s.Namespace + "-" + s.Name }

// VolumeName is the engine name of the home volume, the notebook's PVC.
func (s Spec) VolumeName() string { return s.ContainerName() + "-home" }

// labels returns the labels of the notebook's container and volume.
func (s Spec) labels() map[string]string {
	l := engine.Managed(managedValue)
	l[LabelName] = s.Name
	l[LabelNamespace] = s.Namespace
	for k, v := range s.Labels {
		l[k] = v
	}
	return l
}

// helperLabels tie the relay helper (labelled managed=relay by the engine
// package) to its notebook, so that rm can find one a killed run left.
func (s Spec) helperLabels() map[string]string {
	l := map[string]string{LabelName: s.Name, LabelNamespace: s.Namespace}
	for k, v := range s.Labels {
		l[k] = v
	}
	return l
}

func (s Spec) grace() time.Duration {
	if s.GracePeriod <= 0 {
		return DefaultGracePeriod
	}
	return s.GracePeriod
}
