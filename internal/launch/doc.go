// Package launch runs a notebook image on one machine the way the Kubeflow
// notebook controller runs it in a cluster, and serves it behind a small
// dashboard the way the Kubeflow central dashboard shows it.
//
// The pieces, one file each: the notebook's identity and names (spec.go), its
// server type (servertype.go), the home volume standing in for the PVC
// (volume.go), the container (container.go), how nbkit reaches its port 8888
// with or without a bridge network (reach.go), the notebook across the
// containers its restarts create (notebook.go, status.go, ready.go), the
// notebooks found by label for ls, stop and rm (inventory.go), the Istio-like
// route (route.go), the token that guards the dashboard and the route
// (token.go), streamed logs (logs.go), last activity from the culling
// endpoints (activity.go), and the dashboard that ties them into one HTTP
// server (dashboard.go, serve.go, web/).
package launch
