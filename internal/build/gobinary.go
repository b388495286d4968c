package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// GoBinaries cross-compiles this repository's Go commands (nbinit, nbproxy)
// for the images that list them under binaries, each at most once per
// architecture per run, the way ko puts Go binaries into images without a Go
// toolchain image.
type GoBinaries struct {
	ModuleDir string            // where `go build` runs (the repository root)
	Packages  map[string]string // name -> Go package; default ./cmd/<name>
	OutDir    string            // where binaries are written

	mu    sync.Mutex
	built map[string]*compiled
}

type compiled struct {
	once   sync.Once
	path   string
	digest string
	err    error
}

// Binary returns the path and sha256 of command name built for linux/arch.
// Builds are reproducible (-trimpath, no build ID), so the digest changes
// exactly when the source or the toolchain does.
func (g *GoBinaries) Binary(ctx context.Context, name, arch string) (path, digest string, err error) {
	pkg := g.Packages[name]
	if pkg == "" {
		pkg = "./cmd/" + name
	}
	g.mu.Lock()
	if g.built == nil {
		g.built = map[string]*compiled{}
	}
	key := name + "-" + arch
	c := g.built[key]
	if c == nil {
		c = &compiled{}
		g.built[key] = c
	}
	g.mu.Unlock()
	c.once.Do(func() {
		c.path = filepath.Join(g.OutDir, key)
		if c.err = os.MkdirAll(g.OutDir, 0o755); c.err != nil {
			return
		}
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", c.path, pkg)
		cmd.Dir = g.ModuleDir
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			c.err = fmt.Errorf("compiling %s for linux/%s: %w\n%s", pkg, arch, err, out.String())
			return
		}
		c.digest, c.err = fileSHA256(c.path)
	})
	return c.path, c.digest, c.err
}
