package frontproxy

import (
	"net/url"
	"testing"
)

func TestFrameAncestorsSelf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"default-src 'self'", "default-src 'self'"},
		{"frame-ancestors 'none'", "frame-ancestors 'self'"},
		{"frame-ancestors 'NONE'; script-src 'self'", "frame-ancestors 'self'; script-src 'self'"},
		{"default-src *; frame-ancestors https://a.example", "default-src *; frame-ancestors https://a.example 'self'"},
		{"frame-ancestors 'self' https://a.example", "frame-ancestors 'self' https://a.example"},
		{"frame-ancestors *", "frame-ancestors *"},
		{"frame-ancestors", "frame-ancestors 'self'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := frameAncestorsSelf(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
