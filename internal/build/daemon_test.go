package build

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// forwardEngineBuildKit exposes the engine's own BuildKit at a unix socket,
// the way a BuildKit daemon listens: every connection is spliced onto an
// Engine API /grpc hijack. It returns the unix:// address.
func forwardEngineBuildKit(t *testing.T, cli *client.Client) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "buildkitd.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := cli.DialHijack(context.Background(), "/grpc", "h2c", nil)
				if err != nil {
					return
				}
				defer up.Close()
				done := make(chan struct{}, 2)
				go func() { io.Copy(up, c); done <- struct{}{} }()
				go func() { io.Copy(c, up); done <- struct{}{} }()
				<-done
			}()
		}
	}()
	return "unix://" + sock
}

// buildkitVersion matches the client library in go.mod.
const buildkitVersion = "v0.34.2"

// startBuildkitd runs a standalone BuildKit daemon (OCI worker, as root) and
// returns its address. The binary comes from $NBKIT_BUILDKITD, $PATH, or is
// compiled once from the module's own BuildKit version into the user cache.
func startBuildkitd(t *testing.T, config string) string {
	t.Helper()
	bin := os.Getenv("NBKIT_BUILDKITD")
	if bin == "" {
		bin, _ = exec.LookPath("buildkitd")
	}
	if bin == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		gobin := filepath.Join(cache, "nbkit", "buildkit-"+buildkitVersion)
		bin = filepath.Join(gobin, "buildkitd")
		if _, err := os.Stat(bin); err != nil {
			t.Logf("compiling buildkitd %s into %s (once; takes minutes on a small machine)", buildkitVersion, gobin)
			// Built inside BuildKit's own module (go install pkg@version refuses
			// its exclude directives), leaving this module's go.mod alone.
			dl, err := exec.CommandContext(t.Context(), "go", "mod", "download", "-json", "github.com/moby/buildkit@"+buildkitVersion).Output()
			if err != nil {
				t.Fatalf("downloading buildkit: %v", err)
			}
			var mod struct{ Dir string }
			if err := json.Unmarshal(dl, &mod); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/buildkitd")
			cmd.Dir = mod.Dir
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("compiling buildkitd: %v\n%s", err, out)
			}
		}
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "buildkitd.sock")
	args := []string{"--addr", "unix://" + sock, "--root", filepath.Join(dir, "root"),
		"--oci-worker=true", "--containerd-worker=false", "--allow-insecure-entitlement=network.host"}
	if config != "" {
		cfg := filepath.Join(dir, "buildkitd.toml")
		if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--config", cfg)
	}
	cmd := exec.Command(bin, args...)
	logf, _ := os.Create(filepath.Join(dir, "buildkitd.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting buildkitd: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logf.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return "unix://" + sock
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("buildkitd did not listen within 30s:\n%s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The address path against the engine's own BuildKit, reached as a daemon
// at a unix socket: the build runs there, the result lands in the engine.
func TestDaemonBuilderEngineBuildKitAtAddress(t *testing.T) {
	cli := enginetest.Client(t)
	addr := forwardEngineBuildKit(t, cli)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(
		"ARG BASE_IMG\nFROM $BASE_IMG\nRUN --mount=type=secret,id=ca,target=/ca.pem grep -q FIXTURE-CA /ca.pem\n"), 0o644)
	ref := "nbkit-test-daemon/engine:" + randomTag()
	t.Cleanup(func() {
		cli.ImageRemove(context.WithoutCancel(t.Context()), ref, client.ImageRemoveOptions{Force: true})
	})
	var log strings.Builder
	res, err := DaemonBuilder{Address: addr, Engine: cli}.Build(t.Context(), Request{
		Name: "engine", ContextDir: dir, Tags: []string{ref},
		BuildArgs: map[string]string{"BASE_IMG": "debian:trixie-slim"},
		Labels:    map[string]string{"dev.nbkit.managed": "build", LabelIDE: "none"},
		Secrets:   map[string][]byte{"ca": []byte("FIXTURE-CA")}, Log: &log,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	checkLoaded(t, cli, ref, res)
}

// The address path against a standalone BuildKit daemon: its result comes
// back as a docker-format tar through the Engine API's image load. The daemon
// cannot pull (no registry), so the image is FROM scratch.
func TestDaemonBuilderStandaloneBuildkitd(t *testing.T) {
	cli := enginetest.Client(t)
	if os.Geteuid() != 0 {
		t.Skip("a standalone buildkitd needs root")
	}
	addr := startBuildkitd(t, "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY hello.txt /hello.txt\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644)
	ref := "nbkit-test-daemon/standalone:" + randomTag()
	t.Cleanup(func() {
		cli.ImageRemove(context.WithoutCancel(t.Context()), ref, client.ImageRemoveOptions{Force: true})
	})
	var log strings.Builder
	res, err := DaemonBuilder{Address: addr, Engine: cli}.Build(t.Context(), Request{
		Name: "standalone", ContextDir: dir, Tags: []string{ref},
		Labels: map[string]string{"dev.nbkit.managed": "build", LabelIDE: "none"}, Log: &log,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	checkLoaded(t, cli, ref, res)
}

func checkLoaded(t *testing.T, cli *client.Client, ref string, res Result) {
	t.Helper()
	ins, err := cli.ImageInspect(t.Context(), ref)
	if err != nil {
		t.Fatalf("the built image is not in the engine: %v", err)
	}
	if ins.ID != res.ImageID {
		t.Errorf("engine has %s, builder said %s", ins.ID, res.ImageID)
	}
	if ins.Config.Labels[LabelIDE] != "none" || ins.Config.Labels["dev.nbkit.managed"] != "build" {
		t.Errorf("labels %v", ins.Config.Labels)
	}
}

func randomTag() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
