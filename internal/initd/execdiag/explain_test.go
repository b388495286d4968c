package execdiag

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestExplain(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), mode)
		return p
	}
	for _, tc := range []struct {
		name string
		path string
		err  error
		want []string
		code int
	}{
		{"crlf", write("crlf", "#!/bin/sh\r\necho\r\n", 0o755), syscall.ENOENT, []string{"Windows (CRLF)", `"/bin/sh\r"`, "dos2unix"}, 127},
		{"missing interpreter", write("nointerp", "#!/no/such/bash\n", 0o755), syscall.ENOENT, []string{"interpreter /no/such/bash", "does not exist"}, 127},
		{"not executable", write("noexec", "#!/bin/sh\n", 0o644), syscall.EACCES, []string{"is not executable; fix: chmod +x " + filepath.Join(dir, "noexec")}, 126},
		{"no shebang", write("noshebang", "echo\n", 0o755), syscall.ENOEXEC, []string{"has no #! line", "#!/bin/sh"}, 126},
		{"missing file", filepath.Join(dir, "absent"), syscall.ENOENT, []string{"absent does not exist"}, 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Explain(tc.path, tc.err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Explain = %q, want it to contain %q", got, w)
				}
			}
			if c := Code(tc.err); c != tc.code {
				t.Errorf("Code = %d, want %d", c, tc.code)
			}
		})
	}
}

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\n"), 0o755)
	if p, err := LookPath("tool", "/nonexistent:"+dir); err != nil || p != filepath.Join(dir, "tool") {
		t.Errorf("LookPath = %q, %v", p, err)
	}
	if _, err := LookPath("nope", dir); Code(err) != 127 || !strings.Contains(err.Error(), "not found in PATH (PATH="+dir+")") {
		t.Errorf("LookPath of a missing command: %v", err)
	}
}
