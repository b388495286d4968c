package frontproxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Run serves cfg until ctx ends, then stops within a few seconds: the
// container gets SIGTERM and only a short grace period.
//
// With cfg.WaitBackend it opens the notebook port only once the IDE accepts
// connections. Whatever answers on 8888 is taken as ready (by the checker,
// by readiness probes, by a user's first reload), and a proxy answering 502
// for the seconds code-server takes to start would be ready too early.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.WaitBackend {
		if err := waitForBackend(ctx, cfg.Backend, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Listen, err)
	}
	return Serve(ctx, ln, cfg, log)
}

// Serve is Run on a listener the caller opened.
func Serve(ctx context.Context, ln net.Listener, cfg Config, log *slog.Logger) error {
	srv := newServer(New(cfg, log), defaultLimits, log)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	// Websockets are hijacked and outside Shutdown's reach; they end with
	// the process.
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stopping: %w", err)
	}
	return nil
}

// limits bound what one client connection may hold of the proxy while it
// is not being served: every connection costs a file descriptor and buffers,
// and a keep-alive nobody reuses would otherwise be held for ever.
type limits struct {
	// readHeader is how long a request's headers may take to arrive.
	readHeader time.Duration
	// idle is how long a kept-alive connection may wait for its next
	// request. Longer than Go's client keeps one (90 s), so that clients
	// mostly close first, which cannot race with a request in flight.
	idle time.Duration
	// maxHeader caps request headers. Envoy in front refuses more than
	// 60 KiB, so nothing legitimate comes near it; Go's default is 1 MiB.
	maxHeader int
}

var defaultLimits = limits{readHeader: 30 * time.Second, idle: 2 * time.Minute, maxHeader: 64 << 10}

// newServer deliberately sets no ReadTimeout or WriteTimeout: they would cut
// uploads, downloads, streams and long polls that run past them. Websockets
// are outside every server timeout once hijacked.
func newServer(h http.Handler, l limits, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeader,
		IdleTimeout:       l.idle,
		MaxHeaderBytes:    l.maxHeader,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// waitForBackend dials the IDE until it answers or ctx ends (SIGTERM during
// start-up is a clean stop, not an error). It says so once if the IDE is slow.
func waitForBackend(ctx context.Context, backend *url.URL, log *slog.Logger) error {
	addr := backend.Host
	if backend.Port() == "" {
		port := "80"
		if backend.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(backend.Hostname(), port)
	}
	start := time.Now()
	warned := false
	var d net.Dialer
	for {
		dialCtx, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := d.DialContext(dialCtx, "tcp", addr)
		cancel()
		if err == nil {
			conn.Close()
			return nil
		}
		if !warned && time.Since(start) > time.Minute {
			log.Warn("still waiting for the IDE before opening the notebook port", "backend", addr, "err", err)
			warned = true
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(100 * time.Millisecond):
		}
	}
}
