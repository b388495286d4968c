package frontproxy

// Roles the test binary plays inside containers during the end-to-end test
// (the os/exec pattern): "backend" is a stand-in IDE, "probe" drives the
// proxy over the pod's loopback like a browser and the culler would, and
// prints what it saw as JSON for the test to judge.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

const roleEnv = "NBPROXY_E2E_ROLE"

func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "backend":
		os.Exit(backendRole())
	case "probe":
		os.Exit(probeRole())
	}
	os.Exit(m.Run())
}

// backendRole serves a page at / and a websocket echo at /ws on the IDE's
// internal address.
func backendRole() int {
	mux := http.NewServeMux()
	mux.Handle("/ws", &wsEcho{})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && r.URL.RawQuery == "" {
			http.Redirect(w, r, "./?folder=/home/jovyan", http.StatusFound)
			return
		}
		fmt.Fprint(w, "<html>stand-in IDE</html>")
	})
	fmt.Fprintln(os.Stderr, http.ListenAndServe("127.0.0.1:8889", mux))
	return 1
}

// probeReport is what the probe observed, step by step.
type probeReport struct {
	KernelsBeforeUse   []kernel
	Started            string
	LastBeforeUse      string
	ReadyAfter         string
	Redirects          []string
	PageStatus         int
	PageHeaders        http.Header // of the IDE's page, requested with an Origin
	RewriteRedirects   []string    // the route rewrote the prefix away
	RewriteStatus      int
	LastAfterUse       string
	LastAfterPolls     string
	KernelsAfterUse    []kernel
	WSError            string
	WSConnections      int
	LastAfterIdleWS    string
	LastAfterWSTraffic string
	ConnsAfterClose    int
	LastAfterSecondUse string
	Errors             []string
}

func probeRole() int {
	rep := probe(os.Getenv("NB_PREFIX"), os.Getenv("NBPROXY_E2E_WS"), os.Getenv("NBPROXY_E2E_ECHO") == "1")
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

func probe(prefix, wsPath string, echo bool) *probeReport {
	const base = "http://127.0.0.1:8888"
	rep := &probeReport{}
	fail := func(format string, a ...any) { rep.Errors = append(rep.Errors, fmt.Sprintf(format, a...)) }
	getJSON := func(path string, v any) {
		resp, err := http.Get(base + prefix + path)
		if err != nil {
			fail("GET %s: %v", path, err)
			return
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			fail("GET %s: %v", path, err)
		}
	}
	status := func() status {
		var s status
		getJSON("/api/status", &s)
		return s
	}

	// nbproxy opens the port once the IDE listens; wait for it without
	// using the IDE.
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + prefix + "/api/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			fail("nbproxy never answered on :8888")
			return rep
		}
	}
	getJSON("/api/kernels", &rep.KernelsBeforeUse)
	s := status()
	rep.Started, rep.LastBeforeUse = s.Started, s.LastActivity

	// Load the IDE as a browser would, following redirects only while they
	// stay under the prefix.
	client := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		rep.Redirects = append(rep.Redirects, req.URL.RequestURI())
		if !strings.HasPrefix(req.URL.Path, prefix+"/") {
			return fmt.Errorf("redirect left the prefix: %s", req.URL)
		}
		return nil
	}}
	// A browser's page load: the proxy counts only those as use.
	load := func(c *http.Client, url string) (*http.Response, error) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header = browser.Clone()
		return c.Do(req)
	}
	t0 := time.Now()
	for deadline := t0.Add(3 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		rep.Redirects = nil
		resp, err := load(client, base+prefix+"/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			rep.PageStatus = resp.StatusCode
			if resp.StatusCode/100 == 2 {
				break
			}
		}
		if time.Now().After(deadline) {
			fail("the IDE never answered 2xx through the proxy: %v (status %d)", err, rep.PageStatus)
			return rep
		}
	}
	rep.ReadyAfter = time.Since(t0).Round(time.Millisecond).String()

	// What the dashboard's iframe and the checker see.
	req, _ := http.NewRequest(http.MethodGet, base+prefix+"/?folder=/home/jovyan", nil)
	req.Header.Set("Origin", "http://dashboard.example")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		fail("GET page with Origin: %v", err)
	} else {
		resp.Body.Close()
		rep.PageHeaders = resp.Header
	}
	// Istio's http-rewrite-uri mode: the same page requested at "/".
	redirects := rep.Redirects
	rep.Redirects = nil
	if resp, err := load(client, base+"/"); err != nil {
		fail("GET / (rewrite mode): %v", err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		rep.RewriteStatus = resp.StatusCode
	}
	rep.RewriteRedirects, rep.Redirects = rep.Redirects, redirects
	rep.LastAfterUse = status().LastActivity

	// The culler polls; that is not use.
	for range 3 {
		time.Sleep(500 * time.Millisecond)
		var ks []kernel
		getJSON("/api/kernels", &ks)
		status()
	}
	rep.LastAfterPolls = status().LastActivity
	getJSON("/api/kernels", &rep.KernelsAfterUse)

	// An open websocket that carries nothing is an idle editor.
	time.Sleep(100 * time.Millisecond)
	ws, err := openWS(base+prefix+wsPath, http.Header{"Origin": {base}})
	if err != nil {
		rep.WSError = err.Error()
	} else {
		s := status()
		rep.WSConnections = s.Connections
		before := s.LastActivity
		time.Sleep(3 * time.Second)
		rep.LastAfterIdleWS = status().LastActivity
		if rep.LastAfterIdleWS != before {
			fail("idle websocket moved last_activity from %s to %s", before, rep.LastAfterIdleWS)
		}
		if echo {
			time.Sleep(100 * time.Millisecond)
			if _, err := ws.roundTrip(strings.Repeat("k", 2048)); err != nil {
				fail("websocket echo: %v", err)
			}
			rep.LastAfterWSTraffic = status().LastActivity
		}
		ws.close()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			rep.ConnsAfterClose = status().Connections
			if rep.ConnsAfterClose == 0 || time.Now().After(deadline) {
				break
			}
		}
	}

	time.Sleep(100 * time.Millisecond)
	if resp, err := load(http.DefaultClient, base+prefix+"/?folder=/home/jovyan"); err == nil {
		resp.Body.Close()
	}
	rep.LastAfterSecondUse = status().LastActivity
	return rep
}
