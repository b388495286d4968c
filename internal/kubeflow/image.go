package kubeflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// DefaultRepository is where a bare image name ("jupyter") is looked for:
// the images nbkit builds are named nbkit/NAME.
const DefaultRepository = "nbkit"

// ImageInspector is the one engine call image resolution needs.
type ImageInspector interface {
	ImageInspect(ctx context.Context, image string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
}

// Candidates returns the references ref may mean, in the order they are
// tried: ref itself and, for a bare name, nbkit/NAME:latest.
func Candidates(ref string) []string {
	c := []string{ref}
	if !strings.ContainsAny(ref, "/:@") {
		c = append(c, DefaultRepository+"/"+ref+":latest")
	}
	return c
}

// ResolveImage finds ref in the engine (nothing is pulled: clusters pull,
// nbkit runs what was built or loaded) and returns the reference found and
// the image's labels.
func ResolveImage(ctx context.Context, cli ImageInspector, ref string) (string, map[string]string, error) {
	candidates := Candidates(ref)
	for _, c := range candidates {
		res, err := cli.ImageInspect(ctx, c)
		if err == nil {
			var labels map[string]string
			if res.Config != nil {
				labels = res.Config.Labels
			}
			return c, labels, nil
		}
		if !errdefs.IsNotFound(err) {
			return "", nil, fmt.Errorf("inspecting image %s: %w", c, err)
		}
	}
	return "", nil, fmt.Errorf("image %s is not in the engine (nbkit does not pull): build it with `nbkit build`, or `docker load` it", strings.Join(candidates, " or "))
}
