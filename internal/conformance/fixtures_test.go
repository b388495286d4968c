package conformance

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// fixtureImage is one purpose-built image: the fixture server with one rule
// of the contract broken (testdata/fixture).
type fixtureImage struct {
	name string
	args map[string]string
	// fails is the set of checks it must fail; every other check must pass,
	// or be skipped because one of these failed.
	fails []ID
}

var fixtureImages = []fixtureImage{
	{name: "good"},
	{name: "wrong-uid", args: map[string]string{"FIXTURE_UID": "1001", "FIXTURE_USER": "1001"}, fails: []ID{CheckUser}},
	{name: "root-process", args: map[string]string{"FIXTURE_SETUID": "1"}, fails: []ID{CheckNonroot}},
	{name: "no-server", args: map[string]string{"FIXTURE_BREAK": "no-server"}, fails: []ID{CheckPort}},
	{name: "loopback-only", args: map[string]string{"FIXTURE_BREAK": "loopback-only"}, fails: []ID{CheckPort}},
	// A base image: no server, and it says so; it only has to keep running.
	{name: "no-ide", args: map[string]string{"FIXTURE_BREAK": "no-server", "FIXTURE_IDE": "none"}},
	{name: "no-prefix", args: map[string]string{"FIXTURE_BREAK": "no-prefix"}, fails: []ID{CheckPrefix}},
	{name: "redirect-out", args: map[string]string{"FIXTURE_BREAK": "redirect-out"}, fails: []ID{CheckPrefix}},
	{name: "no-cors", args: map[string]string{"FIXTURE_BREAK": "no-cors"}, fails: []ID{CheckCORS}},
	{name: "xfo-deny", args: map[string]string{"FIXTURE_BREAK": "xfo-deny"}, fails: []ID{CheckIframe}},
	{name: "token", args: map[string]string{"FIXTURE_BREAK": "token"}, fails: []ID{CheckNoAuth}},
	{name: "ignore-sigterm", args: map[string]string{"FIXTURE_BREAK": "ignore-sigterm"}, fails: []ID{CheckStop}},
	{name: "crash-empty-home", args: map[string]string{"FIXTURE_BREAK": "crash-empty-home"}, fails: []ID{CheckEmptyHome}},
	{name: "overwrite", args: map[string]string{"FIXTURE_BREAK": "overwrite"}, fails: []ID{CheckRestart}},
}

const fixtureRepo = "nbkit-check-fixture"

// serverChecks talk HTTP to the server; an image without an IDE skips them.
var serverChecks = []ID{CheckPort, CheckPrefix, CheckCORS, CheckIframe, CheckNoAuth, CheckWebsocket, CheckCulling}

var (
	fixturesOnce sync.Once
	fixtureRefs  map[string]string
	fixturesErr  error
)

// buildFixtures builds every fixture image once per test binary, through the
// engine's classic builder from the local debian:trixie-slim with no network.
// Tags carry a hash of the build context and args, so an unchanged fixture
// is not rebuilt across runs; stale fixture tags are removed.
func buildFixtures(t *testing.T, cli *client.Client) map[string]string {
	t.Helper()
	fixturesOnce.Do(func() { fixtureRefs, fixturesErr = doBuildFixtures(t, cli) })
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixtureRefs
}

func doBuildFixtures(t *testing.T, cli *client.Client) (map[string]string, error) {
	ctx := t.Context()
	buildCtx, err := fixtureContext(t)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, f := range fixtureImages {
		h := sha256.New()
		h.Write(buildCtx)
		keys := make([]string, 0, len(f.args))
		for k := range f.args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(h, "%s=%s\n", k, f.args[k])
		}
		ref := fmt.Sprintf("%s:%s-%s", fixtureRepo, f.name, hex.EncodeToString(h.Sum(nil))[:12])
		refs[f.name] = ref
		if _, err := cli.ImageInspect(ctx, ref); err == nil {
			continue
		}
		args := map[string]*string{}
		for k, v := range f.args {
			args[k] = &v
		}
		res, err := cli.ImageBuild(ctx, bytes.NewReader(buildCtx), client.ImageBuildOptions{
			Tags: []string{ref}, BuildArgs: args, NetworkMode: "none", Remove: true, ForceRemove: true,
			Labels: engine.Managed("check"), Version: build.BuilderV1,
		})
		if err != nil {
			return nil, fmt.Errorf("building fixture %s: %w", f.name, err)
		}
		_, err = engine.ReadMessages(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("building fixture %s: %w", f.name, err)
		}
	}
	removeStaleFixtures(t, cli, refs)
	return refs, nil
}

// fixtureContext is the build context: the Dockerfile, the init script, and
// the fixture server compiled static for the engine's platform.
func fixtureContext(t *testing.T) ([]byte, error) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fixture-server")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, "./testdata/fixture/cmd/fixture-server")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("compiling the fixture server: %v\n%s", err, out)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name, src string, mode int64) error {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(b))})
		_, err = tw.Write(b)
		return err
	}
	for _, f := range []struct {
		name, src string
		mode      int64
	}{
		{"Dockerfile", "testdata/fixture/Dockerfile", 0o644},
		{"cont-init.d/10-fixture", "testdata/fixture/cont-init.d/10-fixture", 0o755},
		{"fixture-server", bin, 0o755},
	} {
		if err := add(f.name, f.src, f.mode); err != nil {
			return nil, fmt.Errorf("adding %s to the fixture build context: %w", f.name, err)
		}
	}
	tw.Close()
	return buf.Bytes(), nil
}

func removeStaleFixtures(t *testing.T, cli *client.Client, keep map[string]string) {
	list, err := cli.ImageList(t.Context(), client.ImageListOptions{Filters: make(client.Filters).Add("label", engine.LabelManaged+"=check")})
	if err != nil {
		return
	}
	current := map[string]bool{}
	for _, ref := range keep {
		current[ref] = true
	}
	for _, img := range list.Items {
		for _, tag := range img.RepoTags {
			if strings.HasPrefix(tag, fixtureRepo+":") && !current[tag] {
				cli.ImageRemove(t.Context(), tag, client.ImageRemoveOptions{PruneChildren: true})
			}
		}
	}
}

// TestFixtureImages checks every fixture image through the docker driver, in
// parallel as nbkit check --parallel does, and wants each to fail exactly
// its own check. The good image passes everything.
func TestFixtureImages(t *testing.T) {
	cli := requireEngine(t)
	refs := buildFixtures(t, cli)
	images := make([]string, len(fixtureImages))
	for i, f := range fixtureImages {
		images[i] = refs[f.name]
	}
	d := NewDocker(cli)
	reports := Run(t.Context(), d, images, Options{Profile: Profiles["kubeflow"], StartTimeout: 20e9, Parallel: 4})
	assertNoLeftovers(t, cli, d.Session)

	for i, f := range fixtureImages {
		r := reports[i]
		t.Run(f.name, func(t *testing.T) {
			if r.Err != nil {
				t.Fatalf("could not check %s: %v", r.Image, r.Err)
			}
			var failed []ID
			skipped := 0
			for _, res := range r.Results {
				switch res.Status {
				case StatusFail:
					failed = append(failed, res.ID)
				case StatusSkip:
					skipped++
				}
			}
			if f.name == "loopback-only" && skipped > 1 {
				t.Errorf("%d checks skipped: a server reachable on loopback must still be judged on the other rules", skipped)
			}
			if fmt.Sprint(failed) != fmt.Sprint(f.fails) {
				t.Errorf("failed %v, want exactly %v", failed, f.fails)
			}
			for _, res := range r.Results {
				switch {
				case res.Status == StatusPass, res.Status == StatusFail && slices.Contains(f.fails, res.ID):
				case res.Status == StatusSkip && skippedFor(res, f.fails):
				case res.Status == StatusSkip && res.ID == CheckPip && strings.Contains(res.Message, "no python3"):
				case res.Status == StatusSkip && f.name == "no-ide" && slices.Contains(serverChecks, res.ID):
				default:
					t.Errorf("%s: %s %q", res.ID, res.Status, res.Message)
				}
			}
			if t.Failed() {
				var b bytes.Buffer
				WriteText(&b, []Report{r})
				t.Log("\n" + b.String())
			}
		})
	}
}

// skippedFor: a skip is fine when the check needs one of the failed checks
// (directly or through another skipped need).
func skippedFor(res Result, fails []ID) bool {
	s, _ := SpecOf(res.ID)
	for _, need := range s.Needs {
		if slices.Contains(fails, need) {
			return true
		}
		if ns, _ := SpecOf(need); slices.ContainsFunc(ns.Needs, func(id ID) bool { return slices.Contains(fails, id) }) {
			return true
		}
	}
	return false
}

func requireEngine(t *testing.T) *client.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("engine-backed fixture checks skipped in -short mode")
	}
	return enginetest.Client(t)
}

// assertNoLeftovers wants no container or volume of the session left.
func assertNoLeftovers(t *testing.T, cli *client.Client, session string) {
	t.Helper()
	f := make(client.Filters).Add("label", engine.LabelSession+"="+session)
	cs, err := cli.ContainerList(t.Context(), client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := cli.VolumeList(t.Context(), client.VolumeListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Items) > 0 || len(vs.Items) > 0 {
		t.Errorf("session %s left %d containers and %d volumes behind", session, len(cs.Items), len(vs.Items))
	}
}

// TestCatalogNameResolves: `nbkit check jupyter` finds nbkit/jupyter:latest,
// the name nbkit build gives, when the engine has no image called jupyter.
func TestCatalogNameResolves(t *testing.T) {
	cli := requireEngine(t)
	refs := buildFixtures(t, cli)
	name := "check-alias-" + strings.ToLower(newID()[:8])
	target := CatalogPrefix + name + ":latest"
	if _, err := cli.ImageTag(t.Context(), client.ImageTagOptions{Source: refs["good"], Target: target}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ImageRemove(context.Background(), target, client.ImageRemoveOptions{}) })
	reports := Run(t.Context(), NewDocker(cli), []string{name, name + "-missing"}, Options{Only: []ID{CheckUser}})
	if res, _ := reports[0].Result(CheckUser); reports[0].Err != nil || res.Status != StatusPass {
		t.Errorf("%s: err %v, user %s %q; want it checked as %s", name, reports[0].Err, res.Status, res.Message, target)
	}
	if !errors.Is(reports[1].Err, ErrImageMissing) {
		t.Errorf("%s-missing: err %v, want ErrImageMissing", name, reports[1].Err)
	}
}
