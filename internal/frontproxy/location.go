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
//   - a relative one is resolved against the IDE's request path (escaped)
//     first, so that "../.." cannot climb out of the prefix;
//   - an absolute URL to the IDE's own address (which the browser cannot
//     reach) becomes a path, one to a host the browser used (Host or
//     X-Forwarded-Host: ownHosts) keeps its host;
//   - a URL to any other host (a login provider) is left alone.
//
// It reads the Location as a browser will (browserForm), not as Go's URL
// parser would, and writes back a path without dot segments, so that no
// spelling of a path (controls, backslashes, "%2e%2e") leads the browser
// out of the prefix on the notebook's own host.
func fixLocation(loc, prefix, reqPath string, ownHosts []string, backendHost string) string {
	if prefix == "" || loc == "" {
		return loc
	}
	form, hostless := browserForm(loc)
	u, err := url.Parse(form)
	switch {
	case err != nil && hostless:
		return prefix + "/" // the browser would go somewhere on this host; send it home
	case err != nil:
		return loc
	case u.Host != "":
		switch {
		case strings.EqualFold(u.Host, backendHost):
			u.Scheme, u.Host, u.User = "", "", nil
		case !slices.ContainsFunc(ownHosts, func(h string) bool { return h != "" && strings.EqualFold(u.Host, h) }):
			return loc
		}
	case u.Scheme != "":
		return loc // mailto:, data: and the like
	case u.Path == "" && u.RawPath == "":
		return loc // "?q" or "#frag" stays on the current page
	}
	path := u.EscapedPath()
	relative := hostless && !strings.HasPrefix(path, "/")
	if relative {
		path = reqPath[:strings.LastIndex(reqPath, "/")+1] + path
	}
	path = removeDots("/" + strings.TrimPrefix(path, "/"))
	if relative || path != prefix && !strings.HasPrefix(path, prefix+"/") {
		path = prefix + path
	}
	// path came from EscapedPath, so it unescapes.
	u.Path, _ = url.PathUnescape(path)
	u.RawPath = path
	return u.String()
}

// browserForm is loc as a browser's URL parser (WHATWG) reads it before it
// resolves it, in Go's syntax: without tabs and newlines, trimmed of
// controls and spaces, with backslashes as slashes and any run of leading
// slashes as "//". "http:x", which an http page reads as the relative "x",
// becomes "x" (on an https page it would name the host x, which the IDE has
// no business sending either). hostless reports that it names no host.
func browserForm(loc string) (form string, hostless bool) {
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	rest := loc
	scheme, after, found := strings.Cut(loc, ":")
	if found && isScheme(scheme) {
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
			return loc, false
		}
		rest = after
	} else {
		scheme = ""
	}
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	path := strings.ReplaceAll(rest[:end], `\`, "/")
	if strings.HasPrefix(path, "//") {
		path = "//" + strings.TrimLeft(path, "/")
		if scheme != "" {
			path = scheme + ":" + path
		}
		return path + rest[end:], false
	}
	if seg, _, _ := strings.Cut(path, "/"); strings.Contains(seg, ":") {
		path = "./" + path // a path, even where "x:" looks like a scheme to Go
	}
	return path + rest[end:], true
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// removeDots removes the dot segments from an escaped absolute path as a
// browser does, which takes "%2e" for a dot: "/a/%2E%2e/b" is "/b".
func removeDots(p string) string {
	segs := strings.Split(p, "/")[1:]
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch strings.ToLower(strings.ReplaceAll(strings.ToLower(s), "%2e", ".")) {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}
