package launch

import "fmt"

// ServerType is the Kubeflow Notebooks server type, which decides how the
// Istio route treats the notebook's URL prefix.
type ServerType string

const (
	// Jupyter keeps the prefix: the server itself serves under NB_PREFIX.
	Jupyter ServerType = "jupyter"
	// GroupOne (code-server) gets the prefix rewritten to "/".
	GroupOne ServerType = "group-one"
	// GroupTwo (RStudio) gets the prefix rewritten to "/" and is told the
	// public root in the X-RStudio-Root-Path header.
	GroupTwo ServerType = "group-two"
)

// ParseServerType accepts the values of the --server-type flag and of the
// image label dev.nbkit.server-type.
func ParseServerType(s string) (ServerType, error) {
	switch t := ServerType(s); t {
	case Jupyter, GroupOne, GroupTwo:
		return t, nil
	}
	return "", fmt.Errorf("server type %q is not one of jupyter, group-one (code-server), group-two (RStudio)", s)
}

// rewrites reports whether the route replaces the prefix with "/".
func (t ServerType) rewrites() bool { return t == GroupOne || t == GroupTwo }
