package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// The test binary doubles as the target container's server when started as
// /probe-target: an HTTP echo server on 127.0.0.1:8888 and a raw TCP echo on
// 127.0.0.1:7, reachable only from inside the container's namespace.
const targetName = "probe-target"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == targetName {
		serveTarget()
		return
	}
	os.Exit(m.Run())
}

func serveTarget() {
	echo, err := net.Listen("tcp", "127.0.0.1:7")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	http.ListenAndServe("127.0.0.1:8888", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s from %s\n", r.Method, r.URL.Path, strings.Split(r.RemoteAddr, ":")[0])
		w.Write(body)
	}))
}

func startTarget(t *testing.T, cli *client.Client) string {
	t.Helper()
	ctx := t.Context()
	ref := enginetest.SelfImage(t, cli, "nbkit-test/probe-target:latest", targetName, nil)

	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: ref, Entrypoint: []string{"/" + targetName}, Labels: engine.Managed("test")},
		HostConfig: &container.HostConfig{NetworkMode: "none"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), created.ID, client.ContainerRemoveOptions{Force: true})
	})
	if _, err := cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	return created.ID
}

func TestProberReachesLoopbackOfNetworklessContainer(t *testing.T) {
	cli := enginetest.Client(t)
	target := startTarget(t, cli)
	p, err := engine.NewProber(t.Context(), cli, target, map[string]string{engine.LabelSession: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	hc := p.HTTPClient()

	// The server may take a moment to listen; a refused dial must surface as an error.
	var resp *http.Response
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err = hc.Get("http://127.0.0.1:8888/hello")
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("GET through prober: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := string(body), "GET /hello from 127.0.0.1\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}

	t.Run("large body round trip", func(t *testing.T) {
		payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		resp, err := hc.Post("http://127.0.0.1:8888/echo", "application/octet-stream", bytes.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		prefix := "POST /echo from 127.0.0.1\n"
		if !bytes.Equal(got, append([]byte(prefix), payload...)) {
			t.Errorf("echoed %d bytes, want %d", len(got), len(prefix)+len(payload))
		}
	})

	t.Run("raw stream with half-close", func(t *testing.T) {
		conn, err := p.DialContext(t.Context(), "tcp", "127.0.0.1:7")
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "ping over the namespace")
		conn.(interface{ CloseWrite() error }).CloseWrite()
		got, err := io.ReadAll(conn)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "ping over the namespace" {
			t.Errorf("echo = %q", got)
		}
	})

	t.Run("refused port fails at dial", func(t *testing.T) {
		_, err := p.DialContext(t.Context(), "tcp", "127.0.0.1:9")
		if err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("dial to a closed port: err = %v, want connection refused", err)
		}
	})
}

func TestProberCloseRemovesHelper(t *testing.T) {
	cli := enginetest.Client(t)
	target := startTarget(t, cli)
	label := engine.LabelSession + "=" + t.Name()
	p, err := engine.NewProber(t.Context(), cli, target, map[string]string{engine.LabelSession: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	if n := countContainers(t, cli, label); n != 1 {
		t.Fatalf("helpers while open = %d, want 1", n)
	}
	if err := p.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := countContainers(t, cli, label); n != 0 {
		t.Errorf("helpers after Close = %d, want 0", n)
	}
}

func countContainers(t *testing.T, cli *client.Client, label string) int {
	t.Helper()
	res, err := cli.ContainerList(t.Context(), client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", label)})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Items)
}
