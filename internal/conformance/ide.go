package conformance

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// IDE is the kind of notebook server, which decides the routing mode Kubeflow
// uses for it and how the websocket check talks to it.
type IDE string

const (
	IDEUnknown    IDE = ""
	IDEJupyter    IDE = "jupyter"
	IDECodeServer IDE = "codeserver"
	IDERStudio    IDE = "rstudio"
	// IDENone is an image that serves nothing itself (a base image): the
	// server checks do not apply to it.
	IDENone IDE = "none"
)

// Image labels that name the IDE, so detection need not guess.
const (
	LabelIDE        = "dev.nbkit.ide"
	LabelServerType = "dev.nbkit.server-type"
)

// ideFromLabels reads the IDE from image labels; the spellings are the ones
// people use for these servers.
func ideFromLabels(labels map[string]string) IDE {
	for _, k := range []string{LabelIDE, LabelServerType} {
		switch strings.ToLower(strings.TrimSpace(labels[k])) {
		case "":
			continue
		case "jupyter", "jupyterlab", "notebook":
			return IDEJupyter
		case "codeserver", "code-server", "vscode":
			return IDECodeServer
		case "rstudio", "rstudio-server":
			return IDERStudio
		case "none", "-":
			return IDENone
		default:
			return IDE(strings.ToLower(labels[k]))
		}
	}
	return IDEUnknown
}

// detectIDE asks the server: only Jupyter answers /api/kernelspecs with its
// kernel list (the contract proxy in front of other IDEs serves /api/status
// and /api/kernels too, so those prove nothing).
func detectIDE(ctx context.Context, nb *Notebook) IDE {
	for _, route := range []Route{RouteKeep, RouteRewrite} {
		resp, err := nb.do(ctx, route, http.MethodGet, nb.external("/api/kernelspecs"), nil, nil)
		if err != nil {
			continue
		}
		var specs struct {
			Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&specs)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && specs.Kernelspecs != nil {
			return IDEJupyter
		}
	}
	return IDEUnknown
}

// requiredRoute is the routing mode Kubeflow uses for ide; "" accepts either.
func requiredRoute(ide IDE) Route {
	switch ide {
	case IDEJupyter:
		return RouteKeep
	case IDECodeServer, IDERStudio:
		return RouteRewrite
	}
	return ""
}
