package launch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

// The test binary doubles as a tiny notebook server inside the fixture image
// when started as /fixture-notebook: it serves under $NB_PREFIX (or at "/"
// when FIXTURE_ROOT is set, as code-server and RStudio do behind the
// rewrite), keeps notes in the home volume, reports who it runs as, answers
// the culling endpoints and echoes over a websocket.
const fixtureName = "fixture-notebook"

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == fixtureName {
		serveFixture()
		return
	}
	os.Exit(m.Run())
}

// whoami is the fixture's report of its process and its home.
type whoami struct {
	UID, GID    int
	Groups      []int
	HomeUID     uint32
	HomeGID     uint32
	HomeMode    string
	Prefix      string
	Path        string
	RootPath    string
	HomeEntries []string
}

func serveFixture() {
	prefix := os.Getenv("NB_PREFIX")
	base := prefix + "/"
	if os.Getenv("FIXTURE_ROOT") != "" {
		base = "/"
	}
	notes := filepath.Join(HomeDir, "notes.txt")
	var mu sync.Mutex
	last := time.Now().UTC()
	touch := func() { mu.Lock(); last = time.Now().UTC(); mu.Unlock() }

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+base+"{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, fixturePage)
	})
	mux.HandleFunc("GET "+base+"api/whoami", func(w http.ResponseWriter, r *http.Request) {
		groups, _ := syscall.Getgroups()
		var st syscall.Stat_t
		syscall.Stat(HomeDir, &st)
		fi, _ := os.Stat(HomeDir)
		var entries []string
		des, _ := os.ReadDir(HomeDir)
		for _, d := range des {
			entries = append(entries, d.Name())
		}
		json.NewEncoder(w).Encode(whoami{
			UID: os.Getuid(), GID: os.Getgid(), Groups: groups,
			HomeUID: st.Uid, HomeGID: st.Gid, HomeMode: fi.Mode().String(),
			Prefix: prefix, Path: r.URL.Path, RootPath: r.Header.Get("X-RStudio-Root-Path"), HomeEntries: entries,
		})
	})
	mux.HandleFunc("GET "+base+"api/notes", func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile(notes)
		w.Write(b)
	})
	mux.HandleFunc("POST "+base+"api/notes", func(w http.ResponseWriter, r *http.Request) {
		touch()
		body, _ := io.ReadAll(r.Body)
		f, err := os.OpenFile(notes, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o664)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(f, "%s\n", bytes.TrimSpace(body))
		f.Close()
		fmt.Println("saved note:", string(bytes.TrimSpace(body)))
	})
	mux.HandleFunc("GET "+base+"api/ws", func(w http.ResponseWriter, r *http.Request) {
		echoWebsocket(w, r, nil)
	})
	// The culler asks with the prefix whatever the route does.
	mux.HandleFunc("GET "+prefix+"/api/status", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, `{"last_activity": %q}`, last.Format(time.RFC3339Nano))
	})
	mux.HandleFunc("GET "+prefix+"/api/kernels", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[]`)
	})

	srv := &http.Server{Addr: ":8888", Handler: mux}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		<-sig
		fmt.Println("fixture: SIGTERM, shutting down")
		srv.Shutdown(context.Background())
	}()
	fmt.Printf("fixture: serving %s on :8888 as uid %d\n", base, os.Getuid())
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		fmt.Println("fixture:", err)
		os.Exit(1)
	}
}

// fixturePage uses relative URLs only, as a server behind a prefix must.
const fixturePage = `<!doctype html>
<html><head><title>fixture notebook</title></head>
<body style="font: 16px system-ui; margin: 2em">
<h1 id="title">Fixture notebook</h1>
<p>Served at <code id="path"></code>, running as uid <span id="uid"></span>.</p>
<form id="form"><input id="note" placeholder="a note"> <button id="save">Save to home</button></form>
<ul id="notes"></ul>
<script>
async function load() {
  const who = await (await fetch('api/whoami')).json();
  document.getElementById('path').textContent = location.pathname;
  document.getElementById('uid').textContent = who.UID;
  const text = await (await fetch('api/notes')).text();
  const ul = document.getElementById('notes');
  ul.innerHTML = '';
  for (const line of text.split('\n').filter(Boolean)) {
    const li = document.createElement('li'); li.textContent = line; ul.appendChild(li);
  }
  document.body.dataset.loaded = 'yes';
}
document.getElementById('form').onsubmit = async (e) => {
  e.preventDefault();
  await fetch('api/notes', {method: 'POST', body: document.getElementById('note').value});
  document.getElementById('note').value = '';
  load();
};
load();
</script></body></html>`

// fixtureImage imports the test binary as an image whose entrypoint is the
// fixture server; extra are Dockerfile-style changes (LABEL, ENV). The image
// also carries a file in /home/jovyan, which must not show up in the volume.
func fixtureImage(t *testing.T, cli *client.Client, tag string, extra ...string) string {
	t.Helper()
	files := []enginetest.File{
		{Name: "home/", Mode: 0o1777, Dir: true},
		{Name: "home/jovyan/", Mode: 0o1777, Dir: true},
		{Name: "tmp/", Mode: 0o1777, Dir: true},
		{Name: "home/jovyan/image-file.txt", Mode: 0o644, Body: []byte("from the image\n")},
	}
	changes := append([]string{`ENTRYPOINT ["/` + fixtureName + `"]`, "EXPOSE 8888"}, extra...)
	return enginetest.SelfImage(t, cli, "nbkit-test/launch-fixture:"+tag, fixtureName, files, changes...)
}

// testSpec names a notebook unique to the test and removes everything the
// test's session label marks when it ends.
func testSpec(t *testing.T, cli *client.Client, image string) Spec {
	t.Helper()
	session := fmt.Sprintf("launch-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	s := Spec{
		Image: image, Name: "nb" + fmt.Sprint(time.Now().UnixNano()%1e9), Namespace: "test",
		GracePeriod: 5 * time.Second, Network: NetworkNone,
		Labels: map[string]string{engine.LabelSession: session},
	}
	t.Cleanup(func() { cleanSession(cli, session) })
	return s
}

func cleanSession(cli *client.Client, session string) {
	ctx := context.Background()
	f := make(client.Filters).Add("label", engine.LabelSession+"="+session)
	if cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f}); err == nil {
		for _, c := range cs.Items {
			cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
		}
	}
	if vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f}); err == nil {
		for _, v := range vs.Items {
			cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true})
		}
	}
}

// get fetches path through h and returns the body; status must be 200.
func get(t *testing.T, hc *http.Client, url string) []byte {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	return b
}

func getWhoami(t *testing.T, hc *http.Client, url string) whoami {
	t.Helper()
	var w whoami
	if err := json.Unmarshal(get(t, hc, url), &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// echoWebsocket accepts a websocket and answers every message with "echo "
// and the message, until the client goes away.
func echoWebsocket(w http.ResponseWriter, r *http.Request, opts *websocket.AcceptOptions) {
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return
	}
	defer c.CloseNow()
	for {
		typ, msg, err := c.Read(r.Context())
		if err != nil {
			return
		}
		c.Write(r.Context(), typ, append([]byte("echo "), msg...))
	}
}
