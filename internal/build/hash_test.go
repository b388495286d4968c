package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestInputsHash(t *testing.T) {
	base := func(t *testing.T) Inputs {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "rootfs/etc"), 0o755)
		os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM x\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "rootfs/etc/a"), []byte("a\n"), 0o644)
		os.Symlink("a", filepath.Join(dir, "rootfs/etc/link"))
		shared := t.TempDir()
		os.WriteFile(filepath.Join(shared, "install.sh"), []byte("#!/bin/sh\n"), 0o755)
		return Inputs{Dir: dir, ParentID: "sha256:p", BuildArgs: map[string]string{"K": "v"}, Platforms: []string{"linux/amd64"},
			Includes: map[string]string{"_include/s": shared}}
	}
	ref, err := base(t).Hash()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(in *Inputs)
		same   bool
	}{
		{"identical folder elsewhere", func(in *Inputs) {}, true},
		{"mtime only", func(in *Inputs) {
			os.Chtimes(filepath.Join(in.Dir, "Dockerfile"), timeZero, timeZero)
		}, true},
		{"content", func(in *Inputs) { os.WriteFile(filepath.Join(in.Dir, "rootfs/etc/a"), []byte("b\n"), 0o644) }, false},
		{"mode", func(in *Inputs) { os.Chmod(filepath.Join(in.Dir, "rootfs/etc/a"), 0o755) }, false},
		{"new file", func(in *Inputs) { os.WriteFile(filepath.Join(in.Dir, "rootfs/etc/b"), nil, 0o644) }, false},
		{"rename", func(in *Inputs) {
			os.Rename(filepath.Join(in.Dir, "rootfs/etc/a"), filepath.Join(in.Dir, "rootfs/etc/c"))
		}, false},
		{"link target", func(in *Inputs) {
			os.Remove(filepath.Join(in.Dir, "rootfs/etc/link"))
			os.Symlink("b", filepath.Join(in.Dir, "rootfs/etc/link"))
		}, false},
		{"parent", func(in *Inputs) { in.ParentID = "sha256:q" }, false},
		{"build arg", func(in *Inputs) { in.BuildArgs["K"] = "w" }, false},
		{"platform", func(in *Inputs) { in.Platforms = []string{"linux/arm64"} }, false},
		{"nbinit", func(in *Inputs) { in.Files = map[string]string{"_nbkit/nbinit-amd64": "abc"} }, false},
		{"included file content", func(in *Inputs) {
			os.WriteFile(filepath.Join(in.Includes["_include/s"], "install.sh"), []byte("#!/bin/sh\necho\n"), 0o755)
		}, false},
		{"included file mode", func(in *Inputs) { os.Chmod(filepath.Join(in.Includes["_include/s"], "install.sh"), 0o644) }, false},
		{"new included file", func(in *Inputs) { os.WriteFile(filepath.Join(in.Includes["_include/s"], "list"), nil, 0o644) }, false},
		{"include staged under another name", func(in *Inputs) {
			in.Includes = map[string]string{"_include/t": in.Includes["_include/s"]}
		}, false},
		{"include dropped", func(in *Inputs) { in.Includes = nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base(t)
			tc.change(&in)
			got, err := in.Hash()
			if err != nil {
				t.Fatal(err)
			}
			if (got == ref) != tc.same {
				t.Errorf("hash equal to reference: %v, want %v", got == ref, tc.same)
			}
		})
	}
}

var timeZero = time.Unix(0, 0)
