package frontproxy

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// meteredWriter sees every response the proxy writes; it counts upgraded
// connections and meters their bytes, keeps the status for access logs, and
// records a person's request as activity once the IDE served it.
// Flush and everything else reach the server's writer through Unwrap, which
// http.ResponseController follows.
type meteredWriter struct {
	http.ResponseWriter
	act    *activity
	floor  int
	window time.Duration
	status int
	// user is set on a browser's request that goes to the IDE.
	user bool
}

// setStatus keeps the first final status; 1xx hints come before it.
func (w *meteredWriter) setStatus(code int) {
	if w.status != 0 || code < 200 && code != http.StatusSwitchingProtocols {
		return
	}
	w.status = code
	if w.user && served(code) {
		w.act.request()
	}
}

func (w *meteredWriter) WriteHeader(code int) {
	w.setStatus(code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *meteredWriter) Write(p []byte) (int, error) {
	w.setStatus(http.StatusOK)
	return w.ResponseWriter.Write(p)
}

func (w *meteredWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack is how httputil.ReverseProxy takes the client's connection for a
// protocol switch (websockets); the connection it gets counts bytes both ways.
func (w *meteredWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.setStatus(http.StatusSwitchingProtocols)
	w.act.opened()
	return &meteredConn{Conn: conn, act: w.act, floor: w.floor, window: w.window}, brw, nil
}

// meteredConn reports its traffic to activity once it exceeds floor bytes in
// one window: keepalives stay below it, a user typing goes above.
type meteredConn struct {
	net.Conn
	act    *activity
	floor  int
	window time.Duration

	mu          sync.Mutex
	windowStart time.Time
	bytes       int
	closeOnce   sync.Once
}

func (c *meteredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.count(n)
	if err != nil {
		// The browser hung up. The proxy keeps the IDE's half open until
		// the IDE closes it too, which an IDE waiting for a handshake may
		// never do; the user is gone either way.
		c.gone()
	}
	return n, err
}

func (c *meteredConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.count(n)
	return n, err
}

func (c *meteredConn) Close() error {
	c.gone()
	return c.Conn.Close()
}

func (c *meteredConn) gone() { c.closeOnce.Do(c.act.closed) }

func (c *meteredConn) count(n int) {
	if n <= 0 {
		return
	}
	now := c.act.now()
	c.mu.Lock()
	if now.Sub(c.windowStart) >= c.window {
		c.windowStart, c.bytes = now, 0
	}
	c.bytes += n
	over := c.bytes > c.floor
	c.mu.Unlock()
	if over {
		c.act.traffic(now)
	}
}
