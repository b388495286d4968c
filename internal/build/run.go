package build

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"golang.org/x/sync/semaphore"

	"github.com/nbkit/nbkit/internal/catalog"
)

// Images is the part of the Engine API a run uses to find existing images
// and move the human tag onto a skipped one.
type Images interface {
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ImageTag(ctx context.Context, opts client.ImageTagOptions) (client.ImageTagResult, error)
}

// Options configure a run.
type Options struct {
	Catalog   *catalog.Catalog
	Images    []*catalog.Image // selected, parents first (catalog.Select)
	Builder   Builder
	Engine    Images
	Prefix    string            // repository prefix, e.g. nbkit or registry.example/kubeflow
	Tag       string            // human tag, e.g. latest
	Platforms []string          // resolved; never empty
	BuildArgs map[string]string // extra build args for every image
	Secrets   map[string][]byte
	Push      bool
	DryRun    bool
	Jobs      int
	LogDir    string
	NBInit    *GoBinary // compiles nbinit for images with nbinit: true
	Revision  string    // source revision label
	Source    string    // source URL label
	Reporter  Reporter
	// AfterBuild runs after an image was built (not skipped), e.g. to write
	// its package manifest; its error fails the image.
	AfterBuild func(ctx context.Context, name, ref string, log *os.File) error
}

// future is one image's result, closed exactly once; children wait on it.
type future struct {
	done chan struct{}
	out  Outcome
}

// Run builds the selected images: each image starts when its parent is done,
// at most Jobs build at once, a failure stops only the failed image's
// descendants. It returns the summary; the error is non-nil when any image
// failed.
func Run(ctx context.Context, o Options) (Summary, error) {
	start := time.Now()
	if o.Jobs < 1 {
		o.Jobs = 1
	}
	futures := map[string]*future{}
	for _, img := range o.Images {
		futures[img.Name] = &future{done: make(chan struct{})}
	}
	sem := semaphore.NewWeighted(int64(o.Jobs))
	var wg sync.WaitGroup
	for _, img := range o.Images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := futures[img.Name]
			defer close(f.done)
			var parent *Outcome
			if p, ok := futures[img.Parent]; ok {
				<-p.done
				parent = &p.out
			}
			f.out = o.one(ctx, sem, img, parent)
			o.report(Event{Name: img.Name, State: f.out.State, Elapsed: f.out.Elapsed, Detail: detail(f.out)})
		}()
	}
	wg.Wait()
	sum := Summary{Elapsed: time.Since(start)}
	var failed []string
	for _, img := range o.Images {
		out := futures[img.Name].out
		sum.Outcomes = append(sum.Outcomes, out)
		if out.State == Failed {
			failed = append(failed, img.Name)
		}
	}
	if len(failed) > 0 {
		return sum, fmt.Errorf("building: %d image(s) failed: %s", len(failed), strings.Join(failed, ", "))
	}
	return sum, nil
}

func detail(o Outcome) string {
	switch {
	case o.Err != nil:
		return o.Err.Error()
	case o.Ref != "":
		return o.Ref
	}
	return ""
}

func (o Options) report(e Event) {
	if o.Reporter != nil {
		o.Reporter.Report(e)
	}
}

// one takes an image from its parent's outcome to its own.
func (o Options) one(ctx context.Context, sem *semaphore.Weighted, img *catalog.Image, parent *Outcome) Outcome {
	out := Outcome{Name: img.Name}
	if parent != nil {
		switch parent.State {
		case Failed, NotAttempted:
			out.State = NotAttempted
			out.Err = fmt.Errorf("%s did not build", parent.Name)
			return out
		case WouldBuild:
			out.State = WouldBuild
			out.Err = nil
			return out
		}
	}
	if err := sem.Acquire(ctx, 1); err != nil {
		out.State, out.Err = NotAttempted, err
		return out
	}
	defer sem.Release(1)
	began := time.Now()
	o.report(Event{Name: img.Name, State: Checking})
	out = o.attempt(ctx, img, parent, out, began)
	out.Elapsed = time.Since(began)
	if out.State == Failed && out.Log != "" {
		out.LogTail = tail(out.Log, 30)
	}
	return out
}

func (o Options) attempt(ctx context.Context, img *catalog.Image, parent *Outcome, out Outcome, began time.Time) Outcome {
	fail := func(err error) Outcome {
		out.State, out.Err = Failed, err
		return out
	}
	baseRef, parentID := img.From, ""
	if parent != nil {
		baseRef, parentID = parent.Ref, parent.ImageID
	} else {
		// The OS base's ID is an input too: a re-bootstrapped base rebuilds the tree.
		ins, err := o.Engine.ImageInspect(ctx, img.From)
		switch {
		case err == nil:
			parentID = ins.ID
		case o.Push:
			// A remote daemon pulls the base itself; its name is the best input we have.
			parentID = img.From
		default:
			return fail(fmt.Errorf("finding OS base %s (run `nbkit bootstrap` to make it from a Debian mirror): %w", img.From, err))
		}
	}
	args := maps.Clone(img.BuildArgs)
	if args == nil {
		args = map[string]string{}
	}
	maps.Copy(args, o.BuildArgs)
	in := Inputs{Dir: img.Dir, ParentID: parentID, BuildArgs: maps.Clone(args), Platforms: o.Platforms}
	extra := map[string]string{}
	if img.NBInit {
		in.Files = map[string]string{}
		for _, arch := range archs(o.Platforms) {
			path, digest, err := o.NBInit.Binary(ctx, arch)
			if err != nil {
				return fail(fmt.Errorf("building %s: %w", img.Name, err))
			}
			rel := "_nbkit/nbinit-" + arch
			extra[rel], in.Files[rel] = path, digest
		}
	}
	hash, err := in.Hash()
	if err != nil {
		return fail(err)
	}
	out.Hash = hash
	repo := o.Prefix + "/" + img.Name
	out.Ref = repo + ":" + hash[:12]
	tagRef := repo + ":" + o.Tag

	if id, ok := o.upToDate(ctx, out.Ref, hash); ok {
		out.ImageID = id
		if o.DryRun {
			out.State = WouldSkip
			return out
		}
		if _, err := o.Engine.ImageTag(ctx, client.ImageTagOptions{Source: out.Ref, Target: tagRef}); err != nil {
			return fail(fmt.Errorf("tagging %s: %w", tagRef, err))
		}
		out.State = Skipped
		return out
	}
	if o.DryRun {
		out.State = WouldBuild
		return out
	}

	o.report(Event{Name: img.Name, State: Building, Elapsed: time.Since(began)})
	log, err := openLog(o.LogDir, img.Name)
	if err != nil {
		return fail(err)
	}
	defer log.Close()
	out.Log = log.Name()
	ctxDir := img.Dir
	if len(extra) > 0 {
		tmp, err := os.MkdirTemp("", "nbkit-context-")
		if err != nil {
			return fail(fmt.Errorf("staging build context: %w", err))
		}
		defer os.RemoveAll(tmp)
		ctxDir = filepath.Join(tmp, img.Name)
		if err := stageContext(img.Dir, ctxDir, extra); err != nil {
			return fail(err)
		}
	}
	args["BASE_IMG"] = baseRef
	res, err := o.Builder.Build(ctx, Request{
		Name: img.Name, ContextDir: ctxDir, Tags: []string{out.Ref, tagRef},
		BuildArgs: args, Labels: o.labels(img, hash, parentID), Platforms: o.Platforms,
		Secrets: o.Secrets, Push: o.Push, Log: log,
	})
	if err != nil {
		fmt.Fprintf(log, "\nnbkit: %v\n", err)
		return fail(err)
	}
	out.ImageID = res.ImageID
	if o.AfterBuild != nil {
		if err := o.AfterBuild(ctx, img.Name, out.Ref, log); err != nil {
			fmt.Fprintf(log, "\nnbkit: %v\n", err)
			return fail(err)
		}
	}
	out.State = Built
	return out
}

// upToDate reports whether ref exists and was built from inputs with this
// hash. The short hash in the tag finds the candidate; the full hash in its
// label confirms it.
func (o Options) upToDate(ctx context.Context, ref, hash string) (string, bool) {
	if o.Engine == nil {
		return "", false
	}
	ins, err := o.Engine.ImageInspect(ctx, ref)
	if err != nil || ins.Config == nil {
		return "", false
	}
	if ins.Config.Labels[LabelInputsHash] != hash {
		return "", false
	}
	return ins.ID, true
}

// archs maps platforms to the GOARCH values nbinit is compiled for.
func archs(platforms []string) []string {
	var out []string
	for _, p := range platforms {
		parts := strings.Split(p, "/")
		if len(parts) >= 2 {
			out = append(out, parts[1])
		}
	}
	return out
}
