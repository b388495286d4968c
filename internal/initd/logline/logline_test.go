package logline

import (
	"bytes"
	"testing"
)

func TestLevelsAndPrefixes(t *testing.T) {
	for _, tc := range []struct {
		verbosity int
		want      string
	}{
		{0, "nbinit: services/web: error: e\n"},
		{1, "nbinit: services/web: error: e\nnbinit: services/web: warning: w\n"},
		{2, "nbinit: services/web: error: e\nnbinit: services/web: warning: w\nnbinit: services/web: i\n"},
		{5, "nbinit: services/web: error: e\nnbinit: services/web: warning: w\nnbinit: services/web: i\nnbinit: services/web: s\nnbinit: services/web: t\nnbinit: services/web: d\n"},
	} {
		var buf bytes.Buffer
		l := New(&buf, tc.verbosity).Stage("services", "web")
		l.Errorf("e")
		l.Warnf("w")
		l.Infof("i")
		l.Stepf("s")
		l.Tracef("t")
		l.Debugf("d")
		if buf.String() != tc.want {
			t.Errorf("verbosity %d:\n%s\nwant:\n%s", tc.verbosity, buf.String(), tc.want)
		}
	}
	var buf bytes.Buffer
	New(&buf, 2).Logf(Info, "stop", "", "no name")
	if buf.String() != "nbinit: stop: no name\n" {
		t.Errorf("line without a name: %q", buf.String())
	}
}
