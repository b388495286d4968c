package build

import (
	"context"
	"fmt"
	"io"
	"strings"

	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/moby/client"
	"github.com/nbkit/nbkit/internal/engine"
)

// Loader is the Engine API call that takes a `docker save`-format tar into the
// engine's image store.
type Loader interface {
	ImageLoad(ctx context.Context, input io.Reader, opts ...client.ImageLoadOption) (client.ImageLoadResult, error)
}

// DaemonBuilder builds on a BuildKit daemon at an address (tcp://, unix://,
// kube-pod://...), the way to build at scale on a BuildKit fleet. It pushes
// to a registry with Push, and otherwise streams a docker-format tar back into
// the local engine. When the daemon is a Docker engine's own BuildKit (its
// worker is "moby"), which has no docker-tar exporter, the image goes into
// that engine's store with the moby exporter instead.
type DaemonBuilder struct {
	Address string
	Engine  Loader // may be nil when every request pushes
	// InsecureRegistry lets pushes use plain HTTP.
	InsecureRegistry bool
}

// Build implements Builder.
func (b DaemonBuilder) Build(ctx context.Context, req Request) (Result, error) {
	bk, err := bkclient.New(ctx, b.Address)
	if err != nil {
		return Result{}, fmt.Errorf("connecting to BuildKit at %s: %w", b.Address, err)
	}
	defer bk.Close()
	name := strings.Join(req.Tags, ",")
	if req.Push {
		resp, err := solve(ctx, bk, req, bkclient.ExportEntry{
			Type:  bkclient.ExporterImage,
			Attrs: map[string]string{"name": name, "push": "true", "registry.insecure": fmt.Sprint(b.InsecureRegistry)},
		})
		if err != nil {
			return Result{}, fmt.Errorf("building %s: %w", req.Name, err)
		}
		// In a registry an image is known by its manifest (or index) digest,
		// which is also what RegistryStore.Lookup reports.
		return Result{ImageID: resp["containerimage.digest"]}, nil
	}
	if engineBuildKit(ctx, bk) {
		resp, err := solve(ctx, bk, req, bkclient.ExportEntry{Type: "moby", Attrs: map[string]string{"name": name}})
		if err != nil {
			return Result{}, fmt.Errorf("building %s: %w", req.Name, err)
		}
		return Result{ImageID: imageID(resp)}, nil
	}
	if len(req.Platforms) > 1 {
		return Result{}, fmt.Errorf("building %s: loading into the local engine takes one platform at a time; add --push for a multi-platform image", req.Name)
	}
	if b.Engine == nil {
		return Result{}, fmt.Errorf("building %s: no engine to load the image into", req.Name)
	}
	pr, pw := io.Pipe()
	loaded := make(chan error, 1)
	go func() {
		loaded <- load(ctx, b.Engine, pr)
		pr.Close()
	}()
	resp, err := solve(ctx, bk, req, bkclient.ExportEntry{
		Type:   bkclient.ExporterDocker,
		Attrs:  map[string]string{"name": name},
		Output: func(map[string]string) (io.WriteCloser, error) { return pw, nil },
	})
	pw.CloseWithError(err) // unblocks the loader when the solve failed before writing
	if lerr := <-loaded; err == nil && lerr != nil {
		err = lerr
	}
	if err != nil {
		return Result{}, fmt.Errorf("building %s: %w", req.Name, err)
	}
	return Result{ImageID: imageID(resp)}, nil
}

// engineBuildKit reports whether the daemon is the BuildKit embedded in a
// Docker engine, whose only worker is named "moby".
func engineBuildKit(ctx context.Context, bk *bkclient.Client) bool {
	ws, err := bk.ListWorkers(ctx)
	return err == nil && len(ws) == 1 && ws[0].ID == "moby"
}

// load sends the tar and reads the engine's JSON message stream, where load
// errors arrive (the HTTP status is 200 even when the tar is refused).
func load(ctx context.Context, e Loader, tar io.Reader) error {
	res, err := e.ImageLoad(ctx, tar, client.ImageLoadWithQuiet(true))
	if err != nil {
		return fmt.Errorf("loading image into the engine: %w", err)
	}
	defer res.Close()
	if _, err := engine.ReadMessages(res); err != nil {
		return fmt.Errorf("loading image into the engine: %w", err)
	}
	return nil
}
