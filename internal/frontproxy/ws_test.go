package frontproxy

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWebsocketEchoMovesActivity(t *testing.T) {
	for _, path := range []string{testPrefix + "/stable/socket", "/stable/socket"} {
		t.Run(path, func(t *testing.T) {
			paths := make(chan string, 1)
			h := newHarness(t, &wsEcho{paths: paths}, nil)
			ws := dialWS(t, h.url+path, nil)
			if got := <-paths; got != "/stable/socket" {
				t.Errorf("IDE saw path %q, want /stable/socket", got)
			}
			if s := h.status(t); s.Connections != 1 {
				t.Errorf("connections %d, want 1", s.Connections)
			}
			before := h.status(t).LastActivity

			h.clock.Advance(time.Minute)
			if got := ws.echo(t, "hello"); got != "hello" {
				t.Fatalf("echo %q, want hello", got)
			}
			s := h.status(t)
			if s.LastActivity == before {
				t.Errorf("last_activity stayed %s after websocket traffic", before)
			}
			if want := formatTime(h.clock.Now()); s.LastActivity != want {
				t.Errorf("last_activity %s, want %s", s.LastActivity, want)
			}
			ks := h.kernels(t)
			if len(ks) != 1 || ks[0].ExecutionState != "busy" || ks[0].Connections != 1 {
				t.Errorf("kernels %+v, want one busy kernel with one connection", ks)
			}

			// After the window the socket is open but idle.
			h.clock.Advance(11 * time.Second)
			ks = h.kernels(t)
			if len(ks) != 1 || ks[0].ExecutionState != "idle" {
				t.Errorf("kernels %+v, want one idle kernel", ks)
			}

			ws.close()
			waitFor(t, func() bool { return h.status(t).Connections == 0 }, "connections to drop to 0 after close")
		})
	}
}

// An editor that is open but unused sends small keepalives; those stay below
// the floor and must not keep the notebook alive.
func TestWebsocketKeepalivesBelowFloor(t *testing.T) {
	h := newHarness(t, &wsEcho{}, func(c *Config) { c.WSFloor = 512 })
	ws := dialWS(t, h.url+testPrefix+"/socket", nil)
	opened := h.status(t).LastActivity

	for range 6 {
		h.clock.Advance(5 * time.Second)
		ws.echo(t, "keepalive")
	}
	if got := h.status(t).LastActivity; got != opened {
		t.Errorf("keepalives moved last_activity from %s to %s", opened, got)
	}
	if ks := h.kernels(t); len(ks) != 1 || ks[0].ExecutionState != "idle" {
		t.Errorf("kernels %+v, want one idle kernel", ks)
	}

	h.clock.Advance(5 * time.Second)
	ws.echo(t, strings.Repeat("x", 600))
	if got, want := h.status(t).LastActivity, formatTime(h.clock.Now()); got != want {
		t.Errorf("real traffic: last_activity %s, want %s", got, want)
	}
}

func TestWebsocketRefusedUpgradeIsNotAConnection(t *testing.T) {
	h := newHarness(t, echoPath(), nil) // answers 200, never upgrades
	resp, _ := get(t, h.url+testPrefix+"/socket", http.Header{
		"Upgrade": {"websocket"}, "Connection": {"Upgrade"},
		"Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}, "Sec-Websocket-Version": {"13"},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	if s := h.status(t); s.Connections != 0 {
		t.Errorf("connections %d, want 0", s.Connections)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// An IDE that upgrades and then waits for a handshake never closes its side;
// the browser leaving must still end the connection's count.
func TestWebsocketClientHangupEndsConnection(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
			wsAccept(r.Header.Get("Sec-WebSocket-Key")))
		brw.Flush()
		<-release
	}), nil)
	ws := dialWS(t, h.url+testPrefix+"/socket", nil)
	if s := h.status(t); s.Connections != 1 {
		t.Fatalf("connections %d, want 1", s.Connections)
	}
	ws.conn.Close()
	waitFor(t, func() bool { return h.status(t).Connections == 0 }, "connections to drop to 0 after the browser hung up")
}

func TestWebsocketCloseIsNotActivity(t *testing.T) {
	h := newHarness(t, &wsEcho{}, func(c *Config) { c.WSFloor = 512 })
	ws := dialWS(t, h.url+testPrefix+"/socket", nil)
	opened := h.status(t).LastActivity

	h.clock.Advance(time.Hour) // the tab sat idle, then closes
	ws.close()
	waitFor(t, func() bool { return h.status(t).Connections == 0 }, "connections to drop to 0")
	time.Sleep(300 * time.Millisecond) // the proxy finishes the request after the count drops
	if got := h.status(t).LastActivity; got != opened {
		t.Errorf("closing an idle websocket moved last_activity from %s to %s", opened, got)
	}
}
