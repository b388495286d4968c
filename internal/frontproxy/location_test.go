package frontproxy

import "testing"

func TestFixLocation(t *testing.T) {
	const p = "/notebook/ns/nb"
	tests := []struct {
		name, prefix, loc, reqPath, want string
	}{
		{"no prefix", "", "/login", "/", "/login"},
		{"absolute path", p, "/login?next=%2F", "/", p + "/login?next=%2F"},
		{"root", p, "/", "/x", p + "/"},
		{"already prefixed", p, p + "/login", "/", p + "/login"},
		{"bare prefix", p, p, "/", p},
		{"lookalike is not prefixed", p, p + "x", "/", p + p + "x"},
		{"relative sibling", p, "login", "/a/b", p + "/a/login"},
		{"relative dot", p, "./?folder=/home/jovyan", "/", p + "/?folder=/home/jovyan"},
		{"relative climbing out", p, "../../..", "/a/b", p + "/"},
		{"relative looking prefixed", p, "notebook/ns/nb/x", "/", p + "/notebook/ns/nb/x"},
		{"escaped path", p, "/files/a%2Fb", "/", p + "/files/a%2Fb"},
		{"backend URL", p, "http://127.0.0.1:8889/x#top", "/", p + "/x#top"},
		{"backend URL no path", p, "http://127.0.0.1:8889", "/", p + "/"},
		{"request host URL", p, "http://10.0.0.5:8888/x", "/", "http://10.0.0.5:8888" + p + "/x"},
		{"forwarded host URL", p, "https://kf.example.com/x", "/", "https://kf.example.com" + p + "/x"},
		{"scheme-relative request host", p, "//kf.example.com/x", "/", "//kf.example.com" + p + "/x"},
		{"foreign host", p, "https://idp.example.org/auth", "/", "https://idp.example.org/auth"},
		{"query only", p, "?tab=2", "/a", "?tab=2"},
		{"fragment only", p, "#x", "/a", "#x"},
		{"other scheme", p, "mailto:a@example.com", "/", "mailto:a@example.com"},
		{"unparsable", p, "http://[::1", "/", "http://[::1"},
		// What the browser reads differently from Go's URL parser.
		{"absolute climbing out", p, "/../../other/x", "/", p + "/other/x"},
		{"prefixed climbing out", p, p + "/../other", "/", p + "/notebook/ns/other"},
		{"escaped dots climbing out", p, "/%2e%2E/x", "/", p + "/x"},
		{"relative escaped dots", p, "%2e%2e/%2e%2e/x", "/a/b", p + "/x"},
		{"control character", p, "\x06/", "/", p + "/"},
		{"tab inside", p, "/lo\tgin", "/", p + "/login"},
		{"unparsable path", p, "/a%zz", "/", p + "/"},
		{"backslash path", p, "\\a\\b", "/", p + "/a/b"},
		{"backslashes name a host", p, "/\\idp.example.org/x", "/", "/\\idp.example.org/x"},
		{"many slashes name a host", p, "////kf.example.com/x", "/", "//kf.example.com" + p + "/x"},
		{"http: without slashes is relative", p, "http:login", "/a/b", p + "/a/login"},
		{"scheme-looking relative path", p, "http:A://10.0.0.5:8888", "/", p + "/A://10.0.0.5:8888"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fixLocation(tt.loc, tt.prefix, tt.reqPath, []string{"10.0.0.5:8888", "kf.example.com"}, "127.0.0.1:8889")
			if got != tt.want {
				t.Errorf("fixLocation(%q) = %q, want %q", tt.loc, got, tt.want)
			}
		})
	}
}

func TestRouteFor(t *testing.T) {
	// The router's edge cases beyond what TestRouting sends through a server.
	const p = "/notebook/ns/nb"
	tests := []struct {
		name, prefix, path string
		want               route
	}{
		{"no prefix", "", "/a", route{path: "/a"}},
		{"bare prefix", p, p, route{redirect: true}},
		{"prefix slash", p, p + "/", route{path: "/"}},
		{"double slash kept", p, p + "//a", route{path: "//a"}},
		{"elsewhere", p, "/notebook/ns/other/", route{path: "/notebook/ns/other/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := mustURL(t, tt.path)
			if got := routeFor(tt.prefix, u); got != tt.want {
				t.Errorf("routeFor(%q) = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

func TestRemoveDots(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"/a/b", "/a/b"},
		{"/a/./b", "/a/b"},
		{"/a/.", "/a/"},
		{"/a/..", "/"},
		{"/a/../b", "/b"},
		{"/../../a", "/a"},
		{"/a/%2e%2E/b", "/b"},
		{"/a/.%2e/b", "/b"},
		{"/a/%2E/b", "/a/b"},
		{"/a/...", "/a/..."},
		{"/a//b/../c", "/a//c"},
	}
	for _, tt := range tests {
		if got := removeDots(tt.in); got != tt.want {
			t.Errorf("removeDots(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
