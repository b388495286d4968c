package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nbkit/nbkit/internal/build"
	"github.com/nbkit/nbkit/internal/catalog"
	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/manifest"
)

// runBuild builds the selected images of the catalog, parents first, skipping
// those whose inputs did not change, and prints a summary.
func runBuild(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("build", "[flags] [IMAGE...]", s)
	dir := fs.String("images", "images", "the image catalog folder")
	tag := fs.String("tag", "latest", "tag given to every built image, next to its input-hash tag")
	prefix := fs.String("prefix", "nbkit", "repository prefix: images are named PREFIX/NAME (a registry path with --push)")
	platforms := fs.String("platform", "", "comma-separated target platforms (default: the engine's, linux/"+runtime.GOARCH+")")
	push := fs.Bool("push", false, "push to the registry named by --prefix (needs --builder); up-to-date images are looked for there")
	insecure := fs.Bool("insecure-registry", false, "with --push: the registry speaks plain HTTP")
	offline := fs.Bool("offline", false, "select only images buildable from a Debian mirror and the npm registry")
	dryRun := fs.Bool("dry-run", false, "print the plan: which images would build and which are up to date")
	jobs := fs.Int("jobs", 2, "images built at once")
	builder := fs.String("builder", os.Getenv("BUILDKIT_HOST"), "BuildKit daemon address (tcp://, unix://, kube-pod://); default $BUILDKIT_HOST, else the engine's BuildKit")
	caBundle := fs.String("ca-bundle", os.Getenv("NBKIT_CA_BUNDLE"), "CA bundle given to build steps as secret `ca` (never stored in the image); default $NBKIT_CA_BUNDLE")
	osBase := fs.String("os-base", "", "use this image instead of the root images' `from` (e.g. an arm64 base made by nbkit bootstrap --platform linux/arm64)")
	out := fs.String("out", "out", "folder for logs/ and manifests/")
	noManifests := fs.Bool("no-manifests", false, "do not write package manifests of built images")
	source := fs.String("source", "https://github.com/nbkit/nbkit", "org.opencontainers.image.source label")
	var buildArgs multiFlag
	fs.Var(&buildArgs, "build-arg", "KEY=VALUE passed to every image (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := catalog.Load(*dir)
	if err != nil {
		return err
	}
	plats := []string{"linux/" + runtime.GOARCH}
	if *platforms != "" {
		plats = strings.Split(*platforms, ",")
	}
	if len(plats) > 1 && !*push {
		return &ExitError{Code: 2, Err: fmt.Errorf("--platform %s: a local image store holds one platform per tag; build one platform at a time, or use --builder and --push", *platforms)}
	}
	if *push && *builder == "" {
		return &ExitError{Code: 2, Err: fmt.Errorf("--push needs --builder (or BUILDKIT_HOST): the engine's BuildKit loads images locally")}
	}
	imgs, err := cat.Select(fs.Args(), *offline)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	imgs, err = forPlatforms(imgs, plats, fs.NArg() > 0, s)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	args2, err := buildArgs.pairs()
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	secrets := map[string][]byte{}
	if *caBundle != "" {
		b, err := os.ReadFile(*caBundle)
		if err != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("reading --ca-bundle: %w", err)}
		}
		secrets["ca"] = b
	}
	eng, err := engine.Connect(ctx)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer eng.Close()
	var b build.Builder = build.EngineBuilder{Engine: eng}
	backend := "the engine's BuildKit"
	if *builder != "" {
		b = build.DaemonBuilder{Address: *builder, Engine: eng, InsecureRegistry: *insecure}
		backend = "BuildKit at " + *builder
	}
	var store build.Store = build.EngineStore{Engine: eng}
	if *push {
		store = build.RegistryStore{Insecure: *insecure}
	}
	rep := newLineReporter(s)
	opts := build.Options{
		Images: imgs, Builder: b, Store: store,
		Prefix: *prefix, Tag: *tag, Platforms: plats, OSBase: *osBase, BuildArgs: args2, Secrets: secrets,
		Push: *push, DryRun: *dryRun, Jobs: *jobs, LogDir: filepath.Join(*out, "logs"),
		Binaries: &build.GoBinaries{ModuleDir: ".", OutDir: filepath.Join(*out, "bin")},
		Revision: gitRevision(ctx), Source: *source, Reporter: rep,
	}
	if !*noManifests && !*push {
		mdir := filepath.Join(*out, "manifests")
		opts.AfterBuild = func(ctx context.Context, name, ref string, log *os.File) error {
			m, err := manifest.Collect(ctx, eng, name, ref)
			if err != nil {
				return err
			}
			return m.WriteFiles(mdir)
		}
	}
	names := make([]string, len(imgs))
	for i, img := range imgs {
		names[i] = img.Name
	}
	verb := "building"
	if *dryRun {
		verb = "planning"
		opts.Reporter = nil // the plan table says it all
	}
	fmt.Fprintf(s.Err, "%s %d image(s) for %s with %s, %d at a time: %s\n", verb, len(imgs), strings.Join(plats, ","), backend, *jobs, strings.Join(names, " "))
	stop := rep.heartbeat(30 * time.Second)
	sum, runErr := build.Run(ctx, opts)
	stop()
	printSummary(s, sum, *dryRun)
	if runErr != nil {
		return runErr
	}
	return nil
}

// forPlatforms drops images that do not declare every target platform, or
// refuses when such an image was named on the command line.
func forPlatforms(imgs []*catalog.Image, plats []string, named bool, s Streams) ([]*catalog.Image, error) {
	var keep []*catalog.Image
	var missing []string
	for _, img := range imgs {
		ok := true
		for _, p := range plats {
			if !slices.Contains(img.Platforms, p) {
				ok = false
				missing = append(missing, fmt.Sprintf("%s (not for %s)", img.Name, p))
				break
			}
		}
		if ok {
			keep = append(keep, img)
		}
	}
	if len(missing) > 0 && named {
		return nil, fmt.Errorf("selecting images: %s: see platforms in their image.yaml", strings.Join(missing, ", "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(s.Err, "leaving out %s\n", strings.Join(missing, ", "))
	}
	return keep, nil
}

func printSummary(s Streams, sum build.Summary, dryRun bool) {
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IMAGE\tRESULT\tTIME\tREFERENCE")
	for _, o := range sum.Outcomes {
		ref := o.Ref
		switch {
		case o.Err != nil && o.State != build.Failed:
			ref = o.Err.Error()
		case o.State == build.WouldBuild && ref == "":
			ref = "(after its parent)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Name, o.State, o.Elapsed.Round(100*time.Millisecond), ref)
	}
	tw.Flush()
	if dryRun {
		fmt.Fprintf(s.Out, "dry run: %d would build, %d up to date\n", sum.Count(build.WouldBuild), sum.Count(build.WouldSkip))
		return
	}
	fmt.Fprintf(s.Out, "%d built, %d skipped, %d failed, %d not attempted in %s\n",
		sum.Count(build.Built), sum.Count(build.Skipped), sum.Count(build.Failed), sum.Count(build.NotAttempted),
		sum.Elapsed.Round(100*time.Millisecond))
	for _, o := range sum.Outcomes {
		if o.State != build.Failed {
			continue
		}
		fmt.Fprintf(s.Err, "\n--- %s failed: %v\n", o.Name, o.Err)
		if o.LogTail != "" {
			fmt.Fprintf(s.Err, "--- last lines of %s:\n%s\n", o.Log, o.LogTail)
		}
	}
}

func gitRevision(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (m multiFlag) pairs() (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range m {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, errors.New("--build-arg " + kv + ": use KEY=VALUE")
		}
		out[k] = v
	}
	return out, nil
}
