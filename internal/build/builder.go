package build

import (
	"context"
	"io"
)

// Builder builds one image from a prepared context. Backends differ only in
// where BuildKit runs and how the result reaches an image store.
type Builder interface {
	Build(ctx context.Context, req Request) (Result, error)
}

// Request is everything a backend needs for one image.
type Request struct {
	Name       string            // image name, for messages
	ContextDir string            // build context, holds the Dockerfile
	Tags       []string          // full references to give the result
	BuildArgs  map[string]string // including BASE_IMG
	Labels     map[string]string
	Platforms  []string          // empty: the builder's own platform
	Secrets    map[string][]byte // BuildKit secret id -> content, never stored in the image
	Push       bool              // push Tags to their registry instead of loading locally
	Log        io.Writer         // BuildKit's plain progress output
}

// Result identifies what was built.
type Result struct {
	ImageID string // the engine's image ID (config digest); the manifest digest when pushed
}
