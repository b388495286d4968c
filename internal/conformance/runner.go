package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Options configure a check run.
type Options struct {
	Profile Profile
	// Only and Skip select checks by ID; empty Only means all.
	Only, Skip []ID
	// StartTimeout bounds how long a server may take to answer on 8888.
	StartTimeout time.Duration
	// Parallel bounds how many images are checked at once.
	Parallel int
	// Done, when set, hears about each image as soon as it is checked
	// (progress for a person watching a long run); calls may be concurrent.
	Done func(Report)
}

// A Driver evaluates the checks it can for one image, recording outcomes in p.
// An error means the image could not be checked at all (ErrImageMissing,
// engine gone, interrupted).
type Driver interface {
	Name() string
	Check(ctx context.Context, image string, p *Plan) error
}

// ErrImageMissing reports an image the driver cannot find.
var ErrImageMissing = errors.New("image not found")

// Run checks images with at most opts.Parallel at a time and returns one
// report per image, in the order given.
func Run(ctx context.Context, d Driver, images []string, opts Options) []Report {
	if opts.Parallel < 1 {
		opts.Parallel = 1
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 120 * time.Second
	}
	if opts.Profile.Name == "" {
		opts.Profile = Profiles["kubeflow"]
	}
	reports := make([]Report, len(images))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, img := range images {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				reports[i] = Report{Image: img, Driver: d.Name(), Profile: opts.Profile.Name, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			reports[i] = checkOne(ctx, d, img, opts)
			if opts.Done != nil {
				opts.Done(reports[i])
			}
		})
	}
	wg.Wait()
	return reports
}

func checkOne(ctx context.Context, d Driver, img string, opts Options) Report {
	start := time.Now()
	p := &Plan{opts: opts, results: map[ID]Result{}}
	err := d.Check(ctx, img, p)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	r := Report{Image: img, Driver: d.Name(), Profile: opts.Profile.Name, IDE: string(p.ide), Duration: time.Since(start), Err: err}
	for _, s := range Specs {
		res, ok := p.results[s.ID]
		if !ok {
			if err != nil || !p.Enabled(s.ID) {
				continue
			}
			res = Result{ID: s.ID, Level: opts.Profile.Level(s.ID), Status: StatusSkip,
				Message: fmt.Sprintf("the %s driver cannot evaluate this check", d.Name())}
		}
		r.Results = append(r.Results, res)
	}
	return r
}

// Plan is the per-image state a driver records results into: which checks
// are selected, what they found, and the IDE (which can raise a level).
type Plan struct {
	opts    Options
	mu      sync.Mutex
	ide     IDE
	results map[ID]Result
}

// Enabled reports whether --only/--skip select id.
func (p *Plan) Enabled(id ID) bool {
	if slices.Contains(p.opts.Skip, id) {
		return false
	}
	return len(p.opts.Only) == 0 || slices.Contains(p.opts.Only, id)
}

// anyEnabled reports whether any of ids is selected.
func (p *Plan) anyEnabled(ids ...ID) bool {
	return slices.ContainsFunc(ids, p.Enabled)
}

func (p *Plan) setIDE(ide IDE) {
	p.mu.Lock()
	p.ide = ide
	p.mu.Unlock()
}

// blocked returns a check id needs that was violated or could not run.
func (p *Plan) blocked(id ID) (ID, bool) {
	s, _ := SpecOf(id)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, need := range s.Needs {
		if r, ok := p.results[need]; ok && r.blocks {
			return need, true
		}
	}
	return "", false
}

// run evaluates check id with f unless it is deselected or blocked, timing it.
func (p *Plan) run(id ID, f func() Outcome) {
	if !p.Enabled(id) {
		return
	}
	if need, ok := p.blocked(id); ok {
		p.record(id, skip("not evaluated: %s did not pass", need), 0)
		return
	}
	start := time.Now()
	o := f()
	p.record(id, o, time.Since(start))
}

// record stores an outcome for id (if selected) at the profile's level.
func (p *Plan) record(id ID, o Outcome, d time.Duration) {
	if !p.Enabled(id) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	level := p.opts.Profile.Level(id)
	if id == CheckCulling && p.ide == IDEJupyter && level == LevelWarn {
		// The v1 culler only works against Jupyter's API: for Jupyter a
		// broken endpoint means notebooks are never culled (or always are).
		level = LevelFail
	}
	p.results[id] = Result{ID: id, Level: level, Status: o.status(level), Duration: d, Message: o.Message, Data: o.Data,
		blocks: o.blocking()}
}
