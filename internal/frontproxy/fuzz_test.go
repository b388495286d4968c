package frontproxy

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLocation checks fixLocation against a browser's reading of the
// Location it returns: wherever a Location without a host takes the browser,
// it stays on the notebook's host under the notebook's prefix.
func FuzzLocation(f *testing.F) {
	for _, seed := range []struct{ loc, reqPath string }{
		{"/login?next=%2F", "/"}, {"/", "/x"}, {"login", "/a/b"}, {"./?folder=/home/jovyan", "/"},
		{"../../..", "/a/b"}, {"/files/a%2Fb", "/"}, {"http://127.0.0.1:8889/x#top", "/"},
		{"http://10.0.0.5:8888/x", "/"}, {"//kf.example.com/x", "/"}, {"https://idp.example.org/auth", "/"},
		{"?tab=2", "/a"}, {"#x", "/a"}, {"mailto:a@example.com", "/"}, {"http://[::1", "/"},
		{testPrefix + "/login", "/"}, {testPrefix + "x", "/"},
	} {
		f.Add(seed.loc, seed.reqPath)
	}
	page := &url.URL{Scheme: "http", Host: "kf.example.com"}
	own := []string{page.Host, "10.0.0.5:8888"}
	const backend = "127.0.0.1:8889"
	f.Fuzz(func(t *testing.T, loc, reqPath string) {
		// The IDE's request path is what the proxy forwarded: escaped, and
		// the page the browser is on has no dot segments.
		reqPath = removeDots((&url.URL{Path: "/" + strings.TrimPrefix(reqPath, "/")}).EscapedPath())
		base := *page
		base.RawPath = testPrefix + reqPath
		base.Path, _ = url.PathUnescape(base.RawPath)

		got := fixLocation(loc, testPrefix, reqPath, own, backend)
		if again := fixLocation(got, testPrefix, reqPath, own, backend); again != got {
			t.Errorf("not idempotent: %q → %q → %q", loc, got, again)
		}
		if before := navigate(&base, loc); !before.hostless {
			return
		}
		after := navigate(&base, got)
		if !after.ok || !strings.EqualFold(after.host, page.Host) ||
			after.path != testPrefix && !strings.HasPrefix(after.path, testPrefix+"/") {
			t.Errorf("Location %q on page %s became %q, which a browser opens at %+v: outside %s", loc, base.String(), got, after, testPrefix)
		}
	})
}

// target is where a browser goes for a Location.
type target struct {
	ok       bool // an http(s) navigation the browser can make
	hostless bool // the Location named no host
	host     string
	path     string // escaped, without dot segments
}

// navigate resolves a Location against the page as the WHATWG URL standard,
// which browsers follow, does for what decides where it lands: it drops
// tabs and newlines and trims controls and spaces, takes a backslash for a
// slash in an http(s) URL, reads "http:x" on an http page as relative and
// any number of leading slashes as the start of a host, and removes dot
// segments, "%2e" included.
func navigate(page *url.URL, loc string) target {
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	if scheme, rest, ok := cutScheme(loc); ok {
		switch {
		case scheme != "http" && scheme != "https":
			return target{}
		case scheme != page.Scheme: // the host follows, however many slashes
			return hostTarget(strings.TrimLeft(rest, `/\`))
		}
		loc = rest
	}
	end := strings.IndexAny(loc, "?#")
	if end < 0 {
		end = len(loc)
	}
	p := strings.ReplaceAll(loc[:end], `\`, "/")
	switch {
	case strings.HasPrefix(p, "//"):
		return hostTarget(strings.TrimLeft(p, "/"))
	case p == "":
		return target{ok: true, hostless: true, host: page.Host, path: page.EscapedPath()}
	case !strings.HasPrefix(p, "/"):
		dir := page.EscapedPath()
		p = dir[:strings.LastIndex(dir, "/")+1] + p
	}
	return target{ok: true, hostless: true, host: page.Host, path: removeDots(p)}
}

func hostTarget(s string) target {
	host, path, _ := strings.Cut(strings.ReplaceAll(s, `\`, "/"), "/")
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	return target{ok: host != "", host: strings.ToLower(host), path: "/" + path}
}

// cutScheme splits "scheme:rest" when loc starts with a URL scheme.
func cutScheme(loc string) (scheme, rest string, ok bool) {
	scheme, rest, ok = strings.Cut(loc, ":")
	if !ok || !isScheme(scheme) {
		return "", loc, false
	}
	return strings.ToLower(scheme), rest, true
}
