package frontproxy

// A minimal RFC 6455 client and echo server, so that the websocket tests run
// real websocket handshakes and frames while the module needs no websocket
// library.

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// wsEcho is a backend that upgrades any request and echoes every data frame.
// It records the path and headers of the upgrade request.
type wsEcho struct {
	paths chan string
}

func (e *wsEcho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "websocket only", http.StatusBadRequest)
		return
	}
	if e.paths != nil {
		e.paths <- r.URL.Path
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		wsAccept(r.Header.Get("Sec-WebSocket-Key")))
	if brw.Flush() != nil {
		return
	}
	for {
		op, payload, err := readFrame(brw.Reader)
		if err != nil || op == 0x8 {
			return
		}
		if writeFrame(conn, op, payload, false) != nil {
			return
		}
	}
}

// wsClient is one client connection.
type wsClient struct {
	conn net.Conn
	br   *bufio.Reader
}

// dialWS opens a websocket to rawURL (http://host/path) with the given
// extra headers, and fails the test unless the handshake completes.
func dialWS(t *testing.T, rawURL string, header http.Header) *wsClient {
	t.Helper()
	c, err := openWS(rawURL, header)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.conn.Close() })
	return c
}

// openWS is dialWS for callers without a testing.T (the e2e probe).
func openWS(rawURL string, header http.Header) (*wsClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return nil, fmt.Errorf("dialing %s: %w", u.Host, err)
	}
	var key [16]byte
	rand.Read(key[:])
	k := base64.StdEncoding.EncodeToString(key[:])
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	for name, vs := range header {
		req.Header[name] = vs
	}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", k)
	req.Header.Set("Sec-WebSocket-Version", "13")
	fail := func(err error) (*wsClient, error) { conn.Close(); return nil, err }
	if err := req.Write(conn); err != nil {
		return fail(fmt.Errorf("writing handshake: %w", err))
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return fail(fmt.Errorf("reading handshake: %w", err))
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fail(fmt.Errorf("handshake: got %s (%s), want 101", resp.Status, body))
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != wsAccept(k) {
		return fail(fmt.Errorf("Sec-WebSocket-Accept = %q, want %q", got, wsAccept(k)))
	}
	return &wsClient{conn: conn, br: br}, nil
}

// echo sends a text frame and returns what comes back.
func (c *wsClient) echo(t *testing.T, msg string) string {
	t.Helper()
	got, err := c.roundTrip(msg)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (c *wsClient) roundTrip(msg string) (string, error) {
	if err := writeFrame(c.conn, 0x1, []byte(msg), true); err != nil {
		return "", fmt.Errorf("writing frame: %w", err)
	}
	op, payload, err := readFrame(c.br)
	if err != nil {
		return "", fmt.Errorf("reading frame: %w", err)
	}
	if op != 0x1 {
		return "", fmt.Errorf("opcode %#x, want text", op)
	}
	return string(payload), nil
}

func (c *wsClient) close() {
	writeFrame(c.conn, 0x8, nil, true)
	c.conn.Close()
}

func writeFrame(w io.Writer, op byte, payload []byte, mask bool) error {
	hdr := []byte{0x80 | op}
	maskBit := byte(0)
	if mask {
		maskBit = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, maskBit|byte(n))
	case n < 1<<16:
		hdr = append(hdr, maskBit|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, maskBit|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	body := payload
	if mask {
		var key [4]byte
		rand.Read(key[:])
		hdr = append(hdr, key[:]...)
		body = make([]byte, len(payload))
		for i, b := range payload {
			body[i] = b ^ key[i%4]
		}
	}
	_, err := w.Write(append(hdr, body...))
	return err
}

func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	op := h[0] & 0x0f
	masked := h[1]&0x80 != 0
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	var key [4]byte
	if masked {
		if _, err := io.ReadFull(r, key[:]); err != nil {
			return 0, nil, err
		}
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= key[i%4]
		}
	}
	return op, payload, nil
}
