package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"sync"

	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/nbkit/nbkit/internal/engine"
)

// Engine lists the Engine API calls bootstrap makes.
type Engine interface {
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ImageImport(ctx context.Context, src client.ImageImportSource, ref string, opts client.ImageImportOptions) (client.ImageImportResult, error)
	ImageLoad(ctx context.Context, input io.Reader, opts ...client.ImageLoadOption) (client.ImageLoadResult, error)
}

// Options say what to make and from where.
type Options struct {
	Ref      string // image to create, e.g. debian:trixie-slim
	Suite    string // Debian suite, e.g. trixie
	Mirror   string // e.g. http://deb.debian.org/debian
	Snapshot string // snapshot.debian.org timestamp (20250801T000000Z); overrides Mirror
	Variant  string // mmdebstrap variant, minbase for a -slim image
	Platform string // linux/amd64, linux/arm64; "" for the host's
	Force    bool   // rebuild even when Ref exists
	Log      io.Writer
}

// Defaults fills unset options with the values nbkit's images expect.
func (o Options) Defaults() Options {
	if o.Ref == "" {
		o.Ref = "debian:trixie-slim"
	}
	if o.Suite == "" {
		o.Suite = "trixie"
	}
	if o.Mirror == "" {
		o.Mirror = "http://deb.debian.org/debian"
	}
	if o.Variant == "" {
		o.Variant = "minbase"
	}
	if o.Platform == "" {
		o.Platform = "linux/" + runtime.GOARCH
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// mirror is where packages come from: a pinned snapshot makes the base
// reproducible.
func (o Options) mirror() string {
	if o.Snapshot != "" {
		return "http://snapshot.debian.org/archive/debian/" + o.Snapshot
	}
	return o.Mirror
}

// Result tells what happened.
type Result struct {
	ImageID string
	Created bool // false: the image was already there
}

// Run makes o.Ref unless it exists already (or o.Force).
func Run(ctx context.Context, e Engine, o Options) (Result, error) {
	o = o.Defaults()
	if !o.Force {
		if ins, err := e.ImageInspect(ctx, o.Ref); err == nil {
			return Result{ImageID: ins.ID}, nil
		}
	}
	if _, err := exec.LookPath("mmdebstrap"); err != nil {
		return Result{}, fmt.Errorf("bootstrapping %s: mmdebstrap not found (apt-get install mmdebstrap): %w", o.Ref, err)
	}
	os, arch, ok := strings.Cut(o.Platform, "/")
	if !ok || os != "linux" {
		return Result{}, fmt.Errorf("bootstrapping %s: platform %q: use linux/ARCH, e.g. linux/arm64", o.Ref, o.Platform)
	}
	var id string
	var err error
	if arch == runtime.GOARCH {
		id, err = importRootfs(ctx, e, o)
	} else {
		id, err = loadForeign(ctx, e, o, arch)
	}
	if err != nil {
		return Result{}, fmt.Errorf("bootstrapping %s: %w", o.Ref, err)
	}
	return Result{ImageID: id, Created: true}, nil
}

// mmdebstrap returns the command writing the rootfs tar to stdout, with its
// progress on o.Log.
func mmdebstrap(ctx context.Context, o Options, arch string) *exec.Cmd {
	args := []string{"--variant=" + o.Variant, "--arch=" + debArch(arch), "--mode=auto"}
	if o.Snapshot != "" {
		args = append(args, `--aptopt=Acquire::Check-Valid-Until "false"`)
	}
	args = append(args, o.Suite, "-", o.mirror())
	cmd := exec.CommandContext(ctx, "mmdebstrap", args...)
	cmd.Stderr = o.Log
	return cmd
}

// debArch maps GOARCH to Debian's architecture names where they differ.
func debArch(goarch string) string {
	switch goarch {
	case "arm":
		return "armhf"
	case "386":
		return "i386"
	}
	return goarch
}

// labels mark the base as nbkit's and record where it came from.
func (o Options) labels() map[string]string {
	return map[string]string{
		engine.LabelManaged:           "build",
		"dev.nbkit.bootstrap.suite":   o.Suite,
		"dev.nbkit.bootstrap.mirror":  o.mirror(),
		"dev.nbkit.bootstrap.variant": o.Variant,
	}
}

const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

func importRootfs(ctx context.Context, e Engine, o Options) (string, error) {
	cmd := mmdebstrap(ctx, o, runtime.GOARCH)
	tar, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting mmdebstrap: %w", err)
	}
	changes := []string{`CMD ["bash"]`, "ENV " + defaultPath}
	for k, v := range o.labels() {
		changes = append(changes, fmt.Sprintf("LABEL %s=%q", k, v))
	}
	os, arch, _ := strings.Cut(o.Platform, "/")
	src := &checkedReader{r: tar, cmd: cmd}
	res, err := e.ImageImport(ctx, client.ImageImportSource{Source: src, SourceName: "-"}, o.Ref,
		client.ImageImportOptions{Changes: changes, Message: "nbkit bootstrap", Platform: ocispec.Platform{OS: os, Architecture: arch}})
	if err != nil {
		cmd.Process.Kill()
		src.wait()
		return "", fmt.Errorf("importing rootfs: %w", err)
	}
	id, readErr := engine.ReadMessages(res)
	res.Close()
	if err := src.wait(); err != nil {
		return "", fmt.Errorf("running mmdebstrap: %w", err)
	}
	if readErr != nil {
		return "", fmt.Errorf("importing rootfs: %w", readErr)
	}
	return id, nil
}

// checkedReader hands mmdebstrap's output to the import and turns its end
// into an error when mmdebstrap failed: the upload then breaks off instead of
// ending cleanly, so the engine does not create an image from a truncated
// rootfs.
type checkedReader struct {
	r    io.Reader
	cmd  *exec.Cmd
	once sync.Once
	err  error
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if errors.Is(err, io.EOF) {
		if werr := c.wait(); werr != nil {
			return n, fmt.Errorf("mmdebstrap failed: %w", werr)
		}
	}
	return n, err
}

func (c *checkedReader) wait() error {
	c.once.Do(func() { c.err = c.cmd.Wait() })
	return c.err
}
