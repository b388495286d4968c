package launch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

func TestNotebookLifecycle(t *testing.T) {
	cli := enginetest.Client(t)
	spec := testSpec(t, cli, fixtureImage(t, cli, "jupyter"))
	spec.NanoCPUs, spec.MemoryBytes = 5e8, 256<<20
	ctx := t.Context()

	nb, err := Open(ctx, cli, spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := nb.Spec().ServerType; got != Jupyter {
		t.Errorf("server type without label or flag = %q, want jupyter", got)
	}
	began := time.Now()
	if err := nb.Start(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	t.Logf("fixture notebook ready %v after Start", time.Since(began).Round(time.Millisecond))
	front := httptest.NewServer(nb.Route().Handler())
	defer front.Close()
	base := front.URL + spec.Prefix() + "/"
	hc := front.Client()

	t.Run("runs like the notebook controller's pod", func(t *testing.T) {
		w := getWhoami(t, hc, base+"api/whoami")
		if w.UID != 1000 || !contains(w.Groups, 100) {
			t.Errorf("uid %d groups %v, want uid 1000 with group 100", w.UID, w.Groups)
		}
		if w.Prefix != spec.Prefix() || w.Path != spec.Prefix()+"/api/whoami" {
			t.Errorf("NB_PREFIX %q, path seen %q: the prefix must reach a Jupyter server unchanged", w.Prefix, w.Path)
		}
		if w.HomeUID != 0 || w.HomeGID != 100 || w.HomeMode != "dgrwxrwxr-x" {
			t.Errorf("home %d:%d %s, want 0:100 drwxrwsr-x (fsGroup 100)", w.HomeUID, w.HomeGID, w.HomeMode)
		}
		ins, err := cli.ContainerInspect(ctx, nb.Status(ctx).ContainerID, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r := ins.Container.HostConfig.Resources; r.NanoCPUs != 5e8 || r.Memory != 256<<20 {
			t.Errorf("limits: %d nano-CPUs, %d bytes; want the 0.5 CPU and 256 MiB asked for", r.NanoCPUs, r.Memory)
		}
		if len(w.HomeEntries) != 0 {
			t.Errorf("a fresh home holds %v; a new PVC is empty, the image's /home/jovyan must not be copied in", w.HomeEntries)
		}
	})

	t.Run("websocket through the relay", func(t *testing.T) {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"api/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		c.Write(ctx, websocket.MessageText, []byte("6*7"))
		if _, msg, err := c.Read(ctx); err != nil || string(msg) != "echo 6*7" {
			t.Errorf("websocket answer %q, %v", msg, err)
		}
	})

	resp, err := hc.Post(base+"api/notes", "text/plain", strings.NewReader("written before restart"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Run("activity from the culling endpoint", func(t *testing.T) {
		a, err := nb.Activity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a.Source != "api/status" || a.Last.Before(began.Add(-time.Second)) || a.Last.After(time.Now().Add(time.Second)) {
			t.Errorf("activity %+v, want api/status with the time of the note just saved", a)
		}
	})

	first := nb.Status(ctx)
	if err := nb.Restart(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	t.Run("restart keeps the home volume, not the container", func(t *testing.T) {
		st := nb.Status(ctx)
		if st.Phase != PhaseReady || st.Generation != first.Generation+1 || st.ContainerID == first.ContainerID {
			t.Errorf("after restart: %+v (before: %+v), want a new ready container", st, first)
		}
		if got := string(get(t, hc, base+"api/notes")); got != "written before restart\n" {
			t.Errorf("notes after restart = %q", got)
		}
		if _, err := cli.ContainerInspect(ctx, first.ContainerID, client.ContainerInspectOptions{}); err == nil {
			t.Errorf("the first container %.12s is still there", first.ContainerID)
		}
	})

	t.Run("logs follow across the restart", func(t *testing.T) {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var lines []string
		nb.FollowLogs(lctx, func(l string) {
			lines = append(lines, l)
			if strings.HasPrefix(l, "fixture: serving") {
				cancel()
			}
		})
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "fixture: serving") }) {
			t.Errorf("log lines %q, want the fixture's start line", lines)
		}
	})

	t.Run("a second run of the same notebook is refused", func(t *testing.T) {
		other, err := Open(ctx, cli, spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.Start(ctx, 10*time.Second); !errors.Is(err, ErrAlreadyRunning) {
			t.Errorf("second Start: %v, want ErrAlreadyRunning", err)
		}
	})

	t.Run("stop is graceful and keeps container and volume", func(t *testing.T) {
		id := nb.Status(ctx).ContainerID
		t0 := time.Now()
		if err := nb.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d > 4*time.Second {
			t.Errorf("stop took %v: the fixture ends on SIGTERM at once", d)
		}
		if err := nb.Stop(ctx); err != nil {
			t.Errorf("stopping a stopped notebook: %v", err)
		}
		ins, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if s := ins.Container.State; s.Running || s.ExitCode != 0 {
			t.Errorf("after stop: running=%v exit=%d, want exited 0 (SIGTERM handled)", s.Running, s.ExitCode)
		}
		resp, err := hc.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("route while stopped: %d, want 503", resp.StatusCode)
		}
		e, err := Find(ctx, cli, spec.Name, "")
		if err != nil {
			t.Fatal(err)
		}
		if e.State != "exited" || e.Volume != spec.VolumeName() || e.Image != spec.Image || e.Namespace != "test" {
			t.Errorf("ls entry %+v, want the exited container with its image and volume", e)
		}
	})

	t.Run("rm removes a relay helper a killed run left", func(t *testing.T) {
		if err := nb.Start(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		e, err := Find(ctx, cli, spec.Name, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Remove(ctx, cli, false); err != nil {
			t.Fatal(err)
		}
		if st := nb.Status(ctx); st.Phase != PhaseStopped || !strings.Contains(st.Error, "removed") {
			t.Errorf("status after rm from outside: %+v, want stopped: the container was removed", st)
		}
		left, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", LabelName+"="+spec.Name)})
		if err != nil {
			t.Fatal(err)
		}
		if len(left.Items) != 0 {
			t.Errorf("after rm: %d containers of the notebook left (relay helper?)", len(left.Items))
		}
	})

	t.Run("ls, then rm --volume", func(t *testing.T) {
		e, err := Find(ctx, cli, spec.Name, "")
		if err != nil {
			t.Fatal(err)
		}
		if e.State != "removed" || e.Volume != spec.VolumeName() || e.Namespace != "test" {
			t.Errorf("entry %+v, want the volume left after rm", e)
		}
		if err := e.Remove(ctx, cli, true); err != nil {
			t.Fatal(err)
		}
		if _, err := Find(ctx, cli, spec.Name, ""); !errors.Is(err, ErrNoNotebook) {
			t.Errorf("after rm --volume: %v, want ErrNoNotebook", err)
		}
	})
}

func TestServerTypeFromImageLabel(t *testing.T) {
	cli := enginetest.Client(t)
	img := fixtureImage(t, cli, "group-two", "LABEL "+LabelServerType+"=group-two", "ENV FIXTURE_ROOT=1")
	spec := testSpec(t, cli, img)
	spec.ServerType = Jupyter // as if --server-type jupyter were given
	ctx := t.Context()
	nb, err := Open(ctx, cli, spec)
	if err != nil {
		t.Fatal(err)
	}
	if nb.Spec().ServerType != GroupTwo || len(nb.Warnings) != 1 {
		t.Errorf("server type %q, warnings %q; want the label's group-two and one warning", nb.Spec().ServerType, nb.Warnings)
	}
	if err := nb.Start(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	defer nb.Stop(context.WithoutCancel(ctx))
	front := httptest.NewServer(nb.Route().Handler())
	defer front.Close()
	w := getWhoami(t, front.Client(), front.URL+spec.Prefix()+"/api/whoami")
	if w.Path != "/api/whoami" || w.RootPath != spec.Prefix()+"/" {
		t.Errorf("group-two server saw path %q root %q, want /api/whoami and %s/", w.Path, w.RootPath, spec.Prefix())
	}
	// The culler skips the rewrite.
	if a, err := nb.Activity(ctx); err != nil || a.Source != "api/status" {
		t.Errorf("activity %+v, %v", a, err)
	}
}
