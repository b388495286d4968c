package cli

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestRunFlagsAfterImage(t *testing.T) {
	tests := []struct {
		args    []string
		wantPos []string
		wantNm  string
	}{
		{[]string{"img", "--name", "x"}, []string{"img"}, "x"},
		{[]string{"--name", "x", "img"}, []string{"img"}, "x"},
		{[]string{"--name=x", "img", "--", "--not-a-flag"}, []string{"img", "--not-a-flag"}, "x"},
	}
	for _, tc := range tests {
		fs := newFlags("run", "IMAGE", Streams{Err: &bytes.Buffer{}})
		name := fs.String("name", "", "")
		pos, err := parseInterspersed(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.wantPos) || *name != tc.wantNm {
			t.Errorf("%q: positional %q, name %q, err %v; want %q, %q", tc.args, pos, *name, err, tc.wantPos, tc.wantNm)
		}
	}
}

func TestDefaultName(t *testing.T) {
	for image, want := range map[string]string{
		"jupyter":                       "jupyter",
		"nbkit/jupyter-scipy:latest":    "jupyter-scipy",
		"registry:5000/team/codeserver": "codeserver",
		"nbkit/rstudio@sha256:abcd":     "rstudio",
		"me/My_Image:1":                 "my-image",
	} {
		if got := defaultName(image); got != want {
			t.Errorf("defaultName(%q) = %q, want %q", image, got, want)
		}
	}
}

func TestRunRefusesBadInputBeforeTouchingTheEngine(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"img", "--server-type", "rstudio"},
		{"img", "--memory", "lots"},
		{"img", "--network", "host"},
	} {
		var errOut bytes.Buffer
		err := runRun(t.Context(), Streams{Out: &bytes.Buffer{}, Err: &errOut}, args)
		var exit *ExitError
		if !errors.As(err, &exit) || exit.Code != 2 {
			t.Errorf("run %q: %v, want exit status 2", args, err)
		}
	}
}
