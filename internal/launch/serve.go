package launch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is the dashboard listening for the browser.
type Server struct {
	// URL opens the dashboard and logs the browser in with the token.
	URL string
	srv *http.Server
}

// Listen serves the dashboard of nb on addr (host:port; port 0 picks one).
// life bounds the work the dashboard's buttons start.
func Listen(life context.Context, nb *Notebook, addr string, startTimeout time.Duration) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	token := NewToken()
	s := &Server{
		URL: fmt.Sprintf("http://%s/?token=%s", ln.Addr(), token),
		srv: &http.Server{
			Handler:           NewDashboard(life, nb, token, startTimeout),
			ReadHeaderTimeout: 10 * time.Second,
		},
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			ln.Close()
		}
	}()
	return s, nil
}

// Shutdown stops accepting and ends open streams (logs, websockets), which
// would otherwise keep a graceful shutdown waiting forever.
func (s *Server) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close()
	}
	return nil
}

// IsLoopback reports whether a listen address only accepts local clients.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
