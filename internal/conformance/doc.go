// Package conformance checks a notebook-server image against the Kubeflow
// notebook image contract (docs/checks.md, design/contract.md): it runs the
// image the way the Kubeflow notebook controller would — NB_PREFIX, port 8888,
// an empty home volume with fsGroup 100, SIGTERM on stop — and judges what the
// server does, so an image that would 404, hang or fail as non-root in a
// cluster fails here first.
//
// The checks are plain functions over small views of an image: an HTTP
// client to the notebook (Notebook), the image's files (the static driver and
// the docker driver both provide them), and the container runs the docker
// driver performs. Drivers decide which checks they can evaluate; the Runner
// applies the profile's levels and produces Reports.
package conformance
