package initd_test

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// nbinit is copied into every image: it may only depend on the standard
// library and golang.org/x/sys.
func TestImportsOnlyStdlibAndXSys(t *testing.T) {
	t.Parallel()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "github.com/nbkit/nbkit/cmd/nbinit").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		ok := strings.HasPrefix(p, "golang.org/x/sys/") ||
			p == "github.com/nbkit/nbkit/cmd/nbinit" ||
			p == "github.com/nbkit/nbkit/internal/initd" ||
			strings.HasPrefix(p, "github.com/nbkit/nbkit/internal/initd/")
		if !ok {
			t.Errorf("nbinit depends on %s; only the standard library and golang.org/x/sys are allowed", p)
		}
	}
}

// The images are amd64 and arm64; nbinit must build for both with cgo off,
// into a static binary (no ELF interpreter) that runs on any base image.
func TestCrossCompilesStatic(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("cross-compiling takes a while; skipped with -short")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "nbinit")
			cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "github.com/nbkit/nbkit/cmd/nbinit")
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("building for %s: %v\n%s", arch, err, b)
			}
			f, err := elf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
			if f.Machine != want {
				t.Errorf("machine %v, want %v", f.Machine, want)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("binary for %s has an ELF interpreter: not static", arch)
				}
			}
		})
	}
}
