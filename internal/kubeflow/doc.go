// Package kubeflow is what Kubeflow does to a notebook image, written once:
// the pod the notebook controller creates for it (user and groups, the home
// PVC and its fsGroup preparation, NB_PREFIX, the security context of each
// cluster profile, resources, stop grace), the kinds of IDE and how the route
// treats each, the image labels that name them, and how a bare image name
// resolves. `nbkit check` and `nbkit run` both run images through it, so the
// pod they emulate cannot drift apart.
//
// It is a leaf: it imports only the Engine API types.
package kubeflow
