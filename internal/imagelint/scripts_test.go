package imagelint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// These run the shell scripts of the base image's rootfs as real processes
// on the host (bash, curl, tar, sha256sum), the way nbinit runs them.

const (
	seedScript  = treeDir + "/base/rootfs/etc/cont-init.d/01-seed-home"
	fetchScript = treeDir + "/base/rootfs/usr/local/bin/nbkit-fetch"
)

func runScript(t *testing.T, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		return out.String(), ee.ExitCode()
	default:
		t.Fatalf("running %s: %v", name, err)
		return "", -1
	}
}

func TestFetchVerifiesChecksum(t *testing.T) {
	body := []byte("vendor release 1.2.3\n")
	sum := sha256.Sum256(body)
	good := hex.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/x-1.2.3.tgz" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	script, _ := filepath.Abs(fetchScript)

	tests := []struct {
		name     string
		path     string
		sha      string
		wantCode int
		wantOut  string
		wantFile bool
	}{
		{"match", "/x-1.2.3.tgz", good, 0, "", true},
		{"mismatch", "/x-1.2.3.tgz", strings.Repeat("0", 64), 1, "checksum mismatch", false},
		{"not hex", "/x-1.2.3.tgz", "sha256:" + good, 2, "not 64 lowercase hex", false},
		{"empty", "/x-1.2.3.tgz", "", 2, "pin the vendor's published checksum", false},
		{"short", "/x-1.2.3.tgz", good[:40], 2, "has 40 characters", false},
		{"not found", "/x-9.9.9.tgz", good, 22, "404", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "x.tgz")
			out, code := runScript(t, nil, "sh", script, srv.URL+tt.path, tt.sha, dest)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; output:\n%s", code, tt.wantCode, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output %q does not mention %q", out, tt.wantOut)
			}
			got, err := os.ReadFile(dest)
			if tt.wantFile && !bytes.Equal(got, body) {
				t.Errorf("dest holds %q (%v), want the served body", got, err)
			}
			if !tt.wantFile && err == nil {
				t.Errorf("dest exists after a failed fetch; a rejected file must not stay behind")
			}
		})
	}
}

// seedFixture makes /tmp_home/jovyan and an empty home, both under dir.
func seedFixture(t *testing.T, dir string) (tmpHome, home string) {
	t.Helper()
	tmpHome = filepath.Join(dir, "tmp_home")
	src := filepath.Join(tmpHome, "jovyan")
	home = filepath.Join(dir, "home")
	for _, d := range []string{filepath.Join(src, ".config/app"), home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(src, p), []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(".bashrc", "# image bashrc\n", 0o644)
	write(".config/app/settings.json", "{}\n", 0o644)
	write("hello.sh", "#!/bin/sh\necho hi\n", 0o755)
	return tmpHome, home
}

func TestSeedHome(t *testing.T) {
	script, _ := filepath.Abs(seedScript)
	tmpHome, home := seedFixture(t, t.TempDir())
	env := []string{"NBKIT_TMP_HOME=" + tmpHome, "NB_USER=jovyan", "HOME=" + home}

	// First start: the home is empty and gets everything.
	if out, code := runScript(t, env, "bash", script); code != 0 {
		t.Fatalf("first start: exit %d:\n%s", code, out)
	}
	for _, p := range []string{".bashrc", ".config/app/settings.json", "hello.sh"} {
		if _, err := os.Stat(filepath.Join(home, p)); err != nil {
			t.Errorf("not seeded: %v", err)
		}
	}
	if st, err := os.Stat(filepath.Join(home, "hello.sh")); err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Errorf("hello.sh lost its executable bit: %v %v", st.Mode(), err)
	}

	// The user edits a seeded file and deletes another; a restart must keep
	// the edit and bring back only what is missing.
	edited := "# mine\n"
	if err := os.WriteFile(filepath.Join(home, ".bashrc"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(home, "hello.sh")); err != nil {
		t.Fatal(err)
	}
	if out, code := runScript(t, env, "bash", script); code != 0 {
		t.Fatalf("restart: exit %d:\n%s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(home, ".bashrc")); string(got) != edited {
		t.Errorf(".bashrc = %q after restart, want the user's %q", got, edited)
	}
	if _, err := os.Stat(filepath.Join(home, "hello.sh")); err != nil {
		t.Errorf("deleted seed file not restored: %v", err)
	}
}

// As root, also run the script the way Kubeflow does: uid 1000, gid 0,
// supplementary group 100, on a home owned root:100 with mode 2775 (fsGroup).
func TestSeedHomeAsNotebookUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to switch to uid 1000")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv (util-linux) not installed")
	}
	script, _ := filepath.Abs(seedScript)
	dir, err := os.MkdirTemp("", "seedhome")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmpHome, home := seedFixture(t, dir)
	if err := os.Chown(home, 0, 100); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o2775); err != nil {
		t.Fatal(err)
	}
	env := []string{"NBKIT_TMP_HOME=" + tmpHome, "NB_USER=jovyan", "HOME=" + home}
	out, code := runScript(t, env, setpriv, "--reuid=1000", "--regid=0", "--groups=100", "bash", script)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// Seeded files belong to the runtime user and stay writable for the
	// group (0 and fsGroup 100), so a later random UID can still edit them.
	for _, p := range []string{".config", ".config/app/settings.json", "hello.sh"} {
		st, err := os.Stat(filepath.Join(home, p))
		if err != nil {
			t.Fatalf("%s not seeded as uid 1000: %v\n%s", p, err, out)
		}
		if uid := st.Sys().(*syscall.Stat_t).Uid; uid != 1000 {
			t.Errorf("%s owned by uid %d, want 1000", p, uid)
		}
		if st.Mode().Perm()&0o020 == 0 {
			t.Errorf("%s mode %v: not group-writable", p, st.Mode())
		}
	}
}
