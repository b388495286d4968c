package build

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/nbkit/nbkit/internal/catalog"
)

// Options configure a run.
type Options struct {
	Images    []*catalog.Image // selected, parents first (catalog.Select)
	Builder   Builder
	Store     Store             // where up-to-date images are looked for: the engine, or the registry with Push
	Prefix    string            // repository prefix, e.g. nbkit or registry.example/kubeflow
	Tag       string            // human tag, e.g. latest
	Platforms []string          // resolved; never empty
	OSBase    string            // replaces the root images' `from` (e.g. a bootstrapped arm64 base)
	BuildArgs map[string]string // extra build args for every image
	Secrets   map[string][]byte
	Push      bool
	DryRun    bool
	Jobs      int
	LogDir    string
	Binaries  *GoBinaries // compiles the commands images list under binaries
	Revision  string      // source revision label
	Source    string      // source URL label
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
