package build

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nbkit/nbkit/internal/catalog"
)

// attempt hashes one image's inputs, keeps the existing image when the hash
// matches, and builds it otherwise.
func (o Options) attempt(ctx context.Context, img *catalog.Image, parent *Outcome, out Outcome, began time.Time) Outcome {
	fail := func(err error) Outcome {
		out.State, out.Err = Failed, err
		return out
	}
	baseRef, parentID := img.From, ""
	if o.OSBase != "" {
		baseRef = o.OSBase
	}
	if parent != nil {
		baseRef, parentID = parent.Ref, parent.ImageID
		if o.Push && strings.HasPrefix(parentID, "sha256:") {
			// In a registry the parent has a digest: the exact reference.
			baseRef = parent.Ref[:strings.LastIndex(parent.Ref, ":")] + "@" + parentID
		}
	} else {
		// The OS base's ID is an input too: a re-bootstrapped base rebuilds the tree.
		id, _, err := o.Store.Lookup(ctx, baseRef)
		if err != nil {
			return fail(fmt.Errorf("finding OS base %s (run `nbkit bootstrap` to make it from a Debian mirror): %w", baseRef, err))
		}
		parentID = id
	}
	args := maps.Clone(img.BuildArgs)
	if args == nil {
		args = map[string]string{}
	}
	maps.Copy(args, o.BuildArgs)
	in := Inputs{Dir: img.Dir, ParentID: parentID, BuildArgs: maps.Clone(args), Platforms: o.Platforms}
	extra := map[string]string{}
	for _, name := range img.Binaries {
		if in.Files == nil {
			in.Files = map[string]string{}
		}
		for _, arch := range archs(o.Platforms) {
			path, digest, err := o.Binaries.Binary(ctx, name, arch)
			if err != nil {
				return fail(fmt.Errorf("building %s: %w", img.Name, err))
			}
			rel := "_nbkit/" + name + "-" + arch
			extra[rel], in.Files[rel] = path, digest
		}
	}
	for _, name := range img.Include {
		if in.Includes == nil {
			in.Includes = map[string]string{}
		}
		in.Includes[catalog.IncludeDir+"/"+name] = img.IncludePath(name)
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
		if err := o.Store.Tag(ctx, out.Ref, tagRef); err != nil {
			return fail(err)
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
	if len(extra) > 0 || len(in.Includes) > 0 {
		tmp, err := os.MkdirTemp("", "nbkit-context-")
		if err != nil {
			return fail(fmt.Errorf("staging build context: %w", err))
		}
		defer os.RemoveAll(tmp)
		ctxDir = filepath.Join(tmp, img.Name)
		if err := stageContext(img.Dir, ctxDir, extra, in.Includes); err != nil {
			return fail(err)
		}
	}
	args["BASE_IMG"] = baseRef
	res, err := o.Builder.Build(ctx, Request{
		Name: img.Name, ContextDir: ctxDir, Tags: []string{out.Ref},
		BuildArgs: args, Labels: o.labels(img, hash, parentID), Platforms: o.Platforms,
		Secrets: o.Secrets, Push: o.Push, Log: log,
	})
	if err != nil {
		fmt.Fprintf(log, "\nnbkit: %v\n", err)
		return fail(err)
	}
	out.ImageID = res.ImageID
	// The human tag moves through the store, as for a skipped image, and the
	// store retires the build it leaves behind.
	if err := o.Store.Tag(ctx, out.Ref, tagRef); err != nil {
		return fail(err)
	}
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
	id, labels, err := o.Store.Lookup(ctx, ref)
	if err != nil || labels[LabelInputsHash] != hash {
		return "", false
	}
	return id, true
}

// archs maps platforms to the GOARCH values the binaries are compiled for.
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
