package contenv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDumpLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	env := []string{"A=plain", "EMPTY=", "NL=ends\n", "MULTI=one\ntwo", "BIG=" + strings.Repeat("x", 10000), ".HIDDEN=x", "HAS/SLASH=x"}
	if err := Dump(dir, env); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir, nil, WithContenv)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"A=plain", "BIG=" + strings.Repeat("x", 10000), "EMPTY=", "MULTI=one\ntwo", "NL=ends\n"}
	if !slices.Equal(got, want) {
		t.Errorf("round trip gave %q, want %q", got, want)
	}
}

func TestLoadOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		o       Options
		want    string
		set     bool
	}{
		{"empty file unsets", "", Options{}, "", false},
		{"first line, blanks trimmed", "v  \t\nnext\n", Options{}, "v", true},
		{"-n keeps blanks", "v  \nnext", Options{NoChomp: true}, "v  ", true},
		{"-f whole file minus last newline", "a\nb\n", Options{Full: true}, "a\nb", true},
		{"-fn keeps last newline", "a\nb\n", Options{Full: true, NoChomp: true}, "a\nb\n", true},
		{"lone newline is empty with -f", "\n", Options{Full: true}, "", true},
		{"clamped to 4096", strings.Repeat("y", 5000), Options{}, strings.Repeat("y", 4096), true},
		{"-L not clamped", strings.Repeat("y", 5000), Options{NoClamp: true}, strings.Repeat("y", 5000), true},
		{"NUL becomes newline", "a\x00b", Options{}, "a\nb", true},
		{"-c sets the NUL replacement", "a\x00b", Options{NullIs: '_'}, "a_b", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "V"), []byte(tc.content), 0o644)
			env, err := Load(dir, Env{"V=before"}, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := env.Get("V")
			if ok != tc.set || v != tc.want {
				t.Errorf("V = %q (set %v), want %q (set %v)", v, ok, tc.want, tc.set)
			}
		})
	}
}
