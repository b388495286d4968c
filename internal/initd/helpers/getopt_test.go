package helpers

import (
	"maps"
	"slices"
	"testing"
)

func TestGetopt(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		spec     string
		opts     map[byte]string
		rest     []string
		wantFail bool
	}{
		{[]string{"-Lf", "dir", "prog"}, "IinfLc:", map[byte]string{'L': "", 'f': ""}, []string{"dir", "prog"}, false},
		{[]string{"-c_", "-n", "dir"}, "IinfLc:", map[byte]string{'c': "_", 'n': ""}, []string{"dir"}, false},
		{[]string{"-u", "1000", "-G", "0,100", "id"}, "zUu:g:G:", map[byte]string{'u': "1000", 'G': "0,100"}, []string{"id"}, false},
		{[]string{"--", "-x"}, "ab", map[byte]string{}, []string{"-x"}, false},
		{[]string{"prog", "-f"}, "f", map[byte]string{}, []string{"prog", "-f"}, false},
		{[]string{"-x", "prog"}, "f", nil, nil, true},
		{[]string{"-u"}, "u:", nil, nil, true},
	} {
		opts, rest, err := getopt(tc.args, tc.spec)
		if (err != nil) != tc.wantFail {
			t.Errorf("getopt(%q): error %v, want failure %v", tc.args, err, tc.wantFail)
			continue
		}
		if !tc.wantFail && (!maps.Equal(opts, tc.opts) || !slices.Equal(rest, tc.rest)) {
			t.Errorf("getopt(%q) = %v %q, want %v %q", tc.args, opts, rest, tc.opts, tc.rest)
		}
	}
}
