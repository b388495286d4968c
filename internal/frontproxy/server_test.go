package frontproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// shortLimits are the real limits with timeouts a test can wait out.
func shortLimits() limits {
	l := defaultLimits
	l.readHeader, l.idle = 300*time.Millisecond, 300*time.Millisecond
	return l
}

// A connection that holds the proxy without asking anything of it is closed
// once a timeout passes; otherwise idle keep-alives pile up for ever.
func TestIdleConnectionsAreClosed(t *testing.T) {
	l := shortLimits()
	tests := []struct {
		name  string
		send  string // written once the connection is open
		after time.Duration
	}{
		{"idle keep-alive after a request", "GET " + testPrefix + "/ HTTP/1.1\r\nHost: nb\r\nSec-Fetch-Mode: navigate\r\n\r\n", l.idle},
		{"silent from the start", "", l.readHeader},
		{"headers never finished", "GET / HTTP/1.1\r\nHost: nb\r\n", l.readHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, echoPath(), nil, l)
			conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			br := bufio.NewReader(conn)
			if tt.send != "" {
				io.WriteString(conn, tt.send)
			}
			if strings.HasSuffix(tt.send, "\r\n\r\n") {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				start = time.Now()
			}
			conn.SetReadDeadline(time.Now().Add(10 * tt.after))
			_, err = br.ReadByte()
			for err == nil { // a 408 for unfinished headers comes first
				_, err = br.ReadByte()
			}
			waited := time.Since(start)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("the proxy still held the connection after %s; want it closed after %s", waited.Round(time.Millisecond), tt.after)
			}
			if waited < tt.after*9/10 {
				t.Errorf("closed after %s, before the %s timeout", waited.Round(time.Millisecond), tt.after)
			}
		})
	}
}

// Websockets and slow answers (long polls, streams) run past the idle and
// header timeouts: those bound waiting for a request, never serving one.
func TestLongConnectionsOutliveTimeouts(t *testing.T) {
	l := shortLimits()
	wait := 4 * l.idle
	t.Run("idle websocket", func(t *testing.T) {
		h := startHarness(t, &wsEcho{}, nil, l)
		ws := dialWS(t, h.url+testPrefix+"/socket", browser)
		defer ws.close()
		time.Sleep(wait)
		if got, err := ws.roundTrip("still here"); err != nil || got != "still here" {
			t.Errorf("after %s of silence: echo %q, %v", wait, got, err)
		}
	})
	t.Run("long poll", func(t *testing.T) {
		h := startHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(wait)
			io.WriteString(w, "event")
		}), nil, l)
		if resp, body := get(t, h.url+testPrefix+"/events", browser); resp.StatusCode != http.StatusOK || body != "event" {
			t.Errorf("long poll: %s %q", resp.Status, body)
		}
	})
}

// The mesh in front (Envoy) refuses more than 60 KiB of request headers;
// nbproxy refuses what is well beyond that instead of buffering up to Go's
// 1 MiB per connection.
func TestHeaderSize(t *testing.T) {
	tests := []struct {
		name   string
		cookie int
		want   int
	}{
		{"large session cookies", 48 << 10, http.StatusOK},
		{"beyond what a gateway passes", 200 << 10, http.StatusRequestHeaderFieldsTooLarge},
	}
	h := newHarness(t, echoPath(), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := get(t, h.url+testPrefix+"/", http.Header{"Cookie": {"s=" + strings.Repeat("x", tt.cookie)}})
			if resp.StatusCode != tt.want {
				t.Errorf("%d KiB cookie: %s, want %d", tt.cookie>>10, resp.Status, tt.want)
			}
		})
	}
}
