package engine

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"

	"github.com/moby/moby/client"
)

// execConn is a net.Conn over the attached streams of an exec running the
// relay: writes go to the exec's stdin as they are, reads come from its stdout,
// which the engine multiplexes with stderr in frames of an 8-byte header
// (stream, 3 zero bytes, big-endian length) and a payload.
type execConn struct {
	net.Conn
	hijacked client.HijackedResponse

	mu      sync.Mutex
	pending int // bytes left in the current stdout frame
	stderr  bytes.Buffer
}

func newExecConn(h client.HijackedResponse) *execConn {
	return &execConn{Conn: h.Conn, hijacked: h}
}

func (c *execConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.pending == 0 {
		var hdr [8]byte
		if _, err := io.ReadFull(c.hijacked.Reader, hdr[:]); err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			return 0, err
		}
		size := int(binary.BigEndian.Uint32(hdr[4:]))
		if hdr[0] == 1 { // stdout: the relayed bytes
			c.pending = size
			continue
		}
		// stderr or a system error: keep it for the error message.
		if _, err := io.CopyN(&c.stderr, c.hijacked.Reader, int64(size)); err != nil {
			return 0, io.EOF
		}
	}
	if len(p) > c.pending {
		p = p[:c.pending]
	}
	n, err := c.hijacked.Reader.Read(p)
	c.pending -= n
	return n, err
}

// stderrText returns what the relay wrote to stderr so far.
func (c *execConn) stderrText() string {
	return string(bytes.TrimSpace(c.stderr.Bytes()))
}

// CloseWrite ends the request side, as a TCP half-close would.
func (c *execConn) CloseWrite() error { return c.hijacked.CloseWrite() }

func (c *execConn) Close() error {
	c.hijacked.Close()
	return nil
}
