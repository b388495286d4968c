package frontproxy

import (
	"net/url"
	"strings"
)

// route is where a request goes once the prefix is dealt with.
type route struct {
	// path and rawPath are the request path as the IDE sees it.
	path, rawPath string
	// redirect is set for the bare prefix, which must become "<prefix>/" so
	// that the IDE's relative links resolve under it.
	redirect bool
}

// routeFor accepts both routing modes of Kubeflow: requests that still carry
// the prefix (the route keeps it) lose it here, for IDEs that serve at "/";
// requests the route already rewrote to "/" pass unchanged.
func routeFor(prefix string, u *url.URL) route {
	if prefix == "" {
		return route{path: u.Path, rawPath: u.RawPath}
	}
	if u.Path == prefix {
		return route{redirect: true}
	}
	rest, ok := strings.CutPrefix(u.Path, prefix+"/")
	if !ok {
		return route{path: u.Path, rawPath: u.RawPath}
	}
	r := route{path: "/" + rest}
	// Keep the escaped form only when it still lines up with the prefix;
	// otherwise the URL package recomputes it from the path.
	if raw, ok := strings.CutPrefix(u.RawPath, prefix+"/"); ok {
		r.rawPath = "/" + raw
	}
	return r
}

// cullingEndpoint reports whether a path (as the IDE would see it) is one of
// the endpoints the proxy answers itself, and which.
func cullingEndpoint(path string) (string, bool) {
	switch strings.TrimSuffix(path, "/") {
	case "/api/status":
		return "status", true
	case "/api/kernels":
		return "kernels", true
	}
	return "", false
}
