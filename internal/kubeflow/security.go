package kubeflow

import "github.com/moby/moby/api/types/container"

// SecurityContext is the part of a pod's (and its container's) security
// context that decides whether an image runs: the user, capabilities,
// privilege escalation and the root filesystem.
type SecurityContext struct {
	// Name says which cluster it stands for, in reports.
	Name string
	// RunAsUser is "uid[:gid]"; "" keeps the image's USER, as the Kubeflow
	// notebook controller does.
	RunAsUser string
	// DropAll drops every capability; NoNewPrivileges sets
	// allowPrivilegeEscalation: false.
	DropAll         bool
	NoNewPrivileges bool
	// ReadOnlyRoot mounts the root filesystem read-only, with memory
	// volumes at /tmp and /run.
	ReadOnlyRoot bool
}

// The security contexts of the clusters nbkit imitates.
var (
	// Kubeflow is the notebook controller v1's pod: only fsGroup 100 is set,
	// the user comes from the image, the container keeps the runtime's
	// default capabilities.
	Kubeflow = SecurityContext{Name: "kubeflow"}
	// RandomUID is OpenShift's restricted SCC: an arbitrary uid, gid 0.
	RandomUID = SecurityContext{Name: "random-uid", RunAsUser: "1000680000:0"}
	// Restricted is Pod Security "restricted", as Kubeflow Notebooks 2.0's
	// WorkspaceKind samples set it: drop ALL, no privilege escalation.
	Restricted = SecurityContext{Name: "restricted", DropAll: true, NoNewPrivileges: true}
	// ReadOnlyRoot adds readOnlyRootFilesystem to Kubeflow's pod.
	ReadOnlyRoot = SecurityContext{Name: "readonly-root", ReadOnlyRoot: true}
)

func (s SecurityContext) apply(hc *container.HostConfig) {
	if s.DropAll {
		hc.CapDrop = []string{"ALL"}
	}
	if s.NoNewPrivileges {
		hc.SecurityOpt = []string{"no-new-privileges"}
	}
	if s.ReadOnlyRoot {
		hc.ReadonlyRootfs = true
		hc.Tmpfs = map[string]string{"/tmp": "rw,nosuid,nodev,mode=1777", "/run": "rw,nosuid,nodev,mode=1777"}
	}
}
