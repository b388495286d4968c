// Package frontproxy is the contract proxy that sits in front of an IDE which
// cannot meet the Kubeflow notebook contract on its own (code-server, RStudio).
//
// It listens on the notebook port, accepts requests both under NB_PREFIX and
// already rewritten to "/" by the Istio route, keeps redirects under the
// prefix, adds the CORS and framing headers the dashboard needs, passes
// websockets and streams through, and serves the Jupyter culling endpoints
// (<prefix>/api/status and <prefix>/api/kernels) from the activity it observes:
// browser requests the IDE served and websocket traffic, never the culler's
// own polls, probes, other workloads or failed requests.
//
// The package imports only the standard library: it is linked into nbproxy,
// which runs inside every image that needs it.
package frontproxy
