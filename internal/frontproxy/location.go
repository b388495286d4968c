package frontproxy

import (
	"net/url"
	"slices"
	"strings"
)

// fixLocation keeps a redirect from the IDE under the prefix. The browser's
// URL is always <prefix> + the IDE's path, whether the route kept the prefix
// or rewrote it away, so the same fix holds in both routing modes:
//   - an absolute path gets the prefix unless it already has it (a
//     prefix-aware IDE such as RStudio with X-RStudio-Root-Path);
//   - a relative one is resolved against the IDE's request path first, so
//     that "../.." cannot climb out of the prefix;
//   - an absolute URL to the IDE's own address (which the browser cannot
//     reach) becomes a path, one to a host the browser used (Host or
//     X-Forwarded-Host: ownHosts) keeps its host;
//   - a URL to any other host (a login provider) is left alone.
func fixLocation(loc, prefix, reqPath string, ownHosts []string, backendHost string) string {
	if prefix == "" || loc == "" {
		return loc
	}
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	relative := false
	switch {
	case u.Host != "":
		switch {
		case strings.EqualFold(u.Host, backendHost):
			u.Scheme, u.Host = "", ""
		case !slices.ContainsFunc(ownHosts, func(h string) bool { return h != "" && strings.EqualFold(u.Host, h) }):
			return loc
		}
		if u.Path == "" {
			u.Path = "/"
		}
	case u.Scheme != "":
		return loc // mailto:, data: and the like
	case u.Path == "":
		return loc // "?q" or "#frag" stays on the current page
	case !strings.HasPrefix(u.Path, "/"):
		relative = true
		base := &url.URL{Path: reqPath}
		u = base.ResolveReference(u)
	}
	if !relative && (u.Path == prefix || strings.HasPrefix(u.Path, prefix+"/")) {
		return u.String()
	}
	escaped := u.EscapedPath()
	u.Path = prefix + u.Path
	u.RawPath = prefix + escaped
	return u.String()
}
