package build

import (
	"context"
	"fmt"
	"net"
	"strings"

	bkclient "github.com/moby/buildkit/client"
)

// Hijacker is the one Engine API call the engine backend needs: it upgrades a
// request to a raw stream, which is how dockerd exposes its BuildKit (/grpc)
// and the build session (/session).
type Hijacker interface {
	DialHijack(ctx context.Context, url, proto string, meta map[string][]string) (net.Conn, error)
}

// EngineBuilder builds with the Docker engine's own BuildKit and exports with
// the engine's "moby" exporter straight into its image store, so FROM finds
// locally imported images and no registry is involved.
type EngineBuilder struct {
	Engine Hijacker
}

// Build implements Builder.
func (b EngineBuilder) Build(ctx context.Context, req Request) (Result, error) {
	if len(req.Platforms) > 1 {
		return Result{}, fmt.Errorf("building %s: the engine's image store holds one platform per tag; build one --platform at a time or use --builder with a BuildKit daemon and --push", req.Name)
	}
	if req.Push {
		return Result{}, fmt.Errorf("building %s: --push needs --builder (a BuildKit daemon); the engine backend loads images locally", req.Name)
	}
	bk, err := EngineBuildKit(ctx, b.Engine)
	if err != nil {
		return Result{}, err
	}
	defer bk.Close()
	resp, err := solve(ctx, bk, req, bkclient.ExportEntry{
		Type:  "moby",
		Attrs: map[string]string{"name": strings.Join(req.Tags, ",")},
	})
	if err != nil {
		return Result{}, fmt.Errorf("building %s: %w", req.Name, err)
	}
	id := imageID(resp)
	if id == "" {
		return Result{}, fmt.Errorf("building %s: the engine returned no image ID (exporter response %v)", req.Name, resp)
	}
	return Result{ImageID: id}, nil
}

// EngineBuildKit returns a BuildKit client that talks to the engine's
// BuildKit through the Engine API.
func EngineBuildKit(ctx context.Context, e Hijacker) (*bkclient.Client, error) {
	bk, err := bkclient.New(ctx, "",
		bkclient.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return e.DialHijack(ctx, "/grpc", "h2c", nil)
		}),
		bkclient.WithSessionDialer(func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) {
			return e.DialHijack(ctx, "/session", proto, meta)
		}))
	if err != nil {
		return nil, fmt.Errorf("connecting to the engine's BuildKit: %w", err)
	}
	return bk, nil
}
