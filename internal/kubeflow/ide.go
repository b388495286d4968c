package kubeflow

import (
	"fmt"
	"strings"
)

// IDE is the kind of notebook server, as image.yaml's `ide` field spells it.
// It decides how the Kubeflow route treats the notebook's URL prefix.
type IDE string

const (
	// JupyterLab serves under NB_PREFIX itself: the route keeps the prefix.
	JupyterLab IDE = "jupyterlab"
	// CodeServer gets the prefix rewritten to "/".
	CodeServer IDE = "codeserver"
	// RStudio gets the prefix rewritten to "/" and the public root in the
	// X-RStudio-Root-Path request header.
	RStudio IDE = "rstudio"
	// NoIDE is an image that serves nothing itself (a base image).
	NoIDE IDE = "none"
)

// IDEs lists every kind, sorted, for messages that name the allowed values.
var IDEs = []IDE{CodeServer, JupyterLab, NoIDE, RStudio}

// ParseIDE accepts the kinds' names and the spellings people use for them
// (image labels of other projects, the server types of Kubeflow's spawner).
func ParseIDE(s string) (IDE, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "jupyterlab", "jupyter", "notebook":
		return JupyterLab, nil
	case "codeserver", "code-server", "vscode", string(GroupOne):
		return CodeServer, nil
	case "rstudio", "rstudio-server", string(GroupTwo):
		return RStudio, nil
	case "none", "-":
		return NoIDE, nil
	}
	return "", fmt.Errorf("unknown IDE %q: use one of jupyterlab, codeserver, rstudio, none (or the server types jupyter, group-one, group-two)", s)
}

// ServerType is the value of Kubeflow's notebook-server-type, which the
// notebook controller turns into the route's prefix handling.
type ServerType string

const (
	Jupyter  ServerType = "jupyter"
	GroupOne ServerType = "group-one"
	GroupTwo ServerType = "group-two"
)

// ServerType returns the server type Kubeflow uses for the IDE ("" for none).
func (i IDE) ServerType() ServerType {
	switch i {
	case JupyterLab:
		return Jupyter
	case CodeServer:
		return GroupOne
	case RStudio:
		return GroupTwo
	}
	return ""
}

// RewritesPrefix reports whether the route replaces the prefix with "/".
func (i IDE) RewritesPrefix() bool { return i == CodeServer || i == RStudio }

// RootPathHeader is the request header the route adds for the IDE, naming
// the public root ("" when none).
func (i IDE) RootPathHeader() string {
	if i == RStudio {
		return "X-RStudio-Root-Path"
	}
	return ""
}

// Serves reports whether the IDE is a server the contract applies to.
func (i IDE) Serves() bool { return i == JupyterLab || i == CodeServer || i == RStudio }
