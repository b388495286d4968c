package cli

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(t.Context(), append([]string{"check"}, args...), Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestCheckUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{nil, "no image given"},
		{[]string{"--profile", "gke", "img"}, `unknown profile "gke"`},
		{[]string{"--only", "user,nope", "img"}, `unknown check "nope"`},
		{[]string{"--format", "html", "img"}, `unknown format "html"`},
		{[]string{"--driver", "podman", "img"}, `unknown driver "podman"`},
		{[]string{"--driver", "static", filepath.Join(t.TempDir(), "none.tar")}, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.msg)
			}
		})
	}
}

func TestCheckWithoutEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no.sock"))
	code, _, stderr := runCLI(t, "some/image")
	if code != 2 || !strings.Contains(stderr, "no container engine reachable") {
		t.Errorf("exit %d, stderr %q; want 2 saying no engine is reachable", code, stderr)
	}
}

// TestCheckStaticJUnit checks an OCI layout whose image has no user: the
// user check fails (exit 1) and the JUnit file says so.
func TestCheckStaticJUnit(t *testing.T) {
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.Config(img, v1.Config{User: "1000", ExposedPorts: map[string]struct{}{"8888/tcp": {}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	junit := filepath.Join(t.TempDir(), "report.xml")
	code, stdout, stderr := runCLI(t, "--driver", "static", "--format", "junit", "--output", junit, dir)
	if code != 1 || !strings.Contains(stderr, "failed the contract") {
		t.Errorf("exit %d, stderr %q; want 1", code, stderr)
	}
	if !strings.Contains(stdout, "user           FAIL") {
		t.Errorf("stdout lacks the text table with the user failure:\n%s", stdout)
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &suites); err != nil {
		t.Fatalf("junit does not parse: %v\n%s", err, b)
	}
	if suites.Failures != 1 || len(suites.Suites) != 1 || suites.Suites[0].Cases[0].Name != "user" || suites.Suites[0].Cases[0].Failure == nil {
		t.Errorf("junit = %+v, want one failure on the user case", suites)
	}
}

func TestCheckMissingImage(t *testing.T) {
	enginetest.Client(t)
	code, _, stderr := runCLI(t, "nbkit-check-test/no-such-image:never")
	if code != 2 || !strings.Contains(stderr, "not in the engine's image store") {
		t.Errorf("exit %d, stderr %q; want 2 saying the image is not in the engine", code, stderr)
	}
}
