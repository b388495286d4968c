package kubeflow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/containerd/errdefs"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestParseIDE(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want IDE
		st   ServerType
		rw   bool
	}{
		{"jupyterlab", JupyterLab, Jupyter, false},
		{"Jupyter", JupyterLab, Jupyter, false},
		{"code-server", CodeServer, GroupOne, true},
		{"group-one", CodeServer, GroupOne, true},
		{"rstudio", RStudio, GroupTwo, true},
		{"group-two", RStudio, GroupTwo, true},
		{"none", NoIDE, "", false},
	} {
		got, err := ParseIDE(tc.in)
		if err != nil || got != tc.want || got.ServerType() != tc.st || got.RewritesPrefix() != tc.rw {
			t.Errorf("ParseIDE(%q) = %q (%q, rewrites %v), %v; want %q (%q, %v)", tc.in, got, got.ServerType(), got.RewritesPrefix(), err, tc.want, tc.st, tc.rw)
		}
	}
	if _, err := ParseIDE("emacs"); err == nil || !strings.Contains(err.Error(), "jupyterlab, codeserver, rstudio, none") {
		t.Errorf("ParseIDE(emacs) error %v, want one naming the allowed values", err)
	}
	if got := RStudio.RootPathHeader(); got != "X-RStudio-Root-Path" {
		t.Errorf("RStudio header %q", got)
	}
}

func TestIDELabelsRoundTrip(t *testing.T) {
	for _, ide := range IDEs {
		got, ok := IDEFromLabels(ImageLabels(ide))
		if !ok || got != ide {
			t.Errorf("%s: labels %v read back as %q, %v", ide, ImageLabels(ide), got, ok)
		}
	}
	if got, ok := IDEFromLabels(map[string]string{LabelServerType: "group-two"}); !ok || got != RStudio {
		t.Errorf("server type label alone: %q %v, want rstudio", got, ok)
	}
	if _, ok := IDEFromLabels(map[string]string{LabelIDE: "emacs"}); ok {
		t.Error("an unknown IDE label was accepted")
	}
}

type images map[string]map[string]string

func (im images) ImageInspect(_ context.Context, ref string, _ ...client.ImageInspectOption) (client.ImageInspectResult, error) {
	l, ok := im[ref]
	if !ok {
		return client.ImageInspectResult{}, errdefs.ErrNotFound
	}
	return client.ImageInspectResult{InspectResponse: image.InspectResponse{Config: &dockerspec.DockerOCIImageConfig{ImageConfig: ocispec.ImageConfig{Labels: l}}}}, nil
}

func TestResolveImage(t *testing.T) {
	eng := images{"nbkit/jupyter:latest": {LabelIDE: "jupyterlab"}, "my/img:1": nil}
	for _, tc := range []struct{ in, want, err string }{
		{"jupyter", "nbkit/jupyter:latest", ""},
		{"my/img:1", "my/img:1", ""},
		{"codeserver", "", "codeserver or nbkit/codeserver:latest is not in the engine"},
		{"my/img:2", "", "my/img:2 is not in the engine"},
	} {
		got, _, err := ResolveImage(t.Context(), eng, tc.in)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ResolveImage(%q) = %q, %v; want %q, error with %q", tc.in, got, err, tc.want, tc.err)
		}
	}
	if !slices.Equal(Candidates("a/b"), []string{"a/b"}) {
		t.Errorf("a reference with a repository path is taken as it is: %v", Candidates("a/b"))
	}
	_, _, err := ResolveImage(t.Context(), failing{}, "x")
	if err == nil || !strings.Contains(err.Error(), "inspecting image x") {
		t.Errorf("an engine failure must not read as not-found: %v", err)
	}
}

type failing struct{}

func (failing) ImageInspect(context.Context, string, ...client.ImageInspectOption) (client.ImageInspectResult, error) {
	return client.ImageInspectResult{}, errors.New("engine down")
}
