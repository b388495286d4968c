package frontproxy

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Mode names the IDE behind the proxy; it decides the headers sent to it and
// the name of the pseudo-kernel the culling endpoints report.
type Mode string

const (
	ModeGeneric    Mode = "generic"
	ModeCodeServer Mode = "codeserver"
	ModeRStudio    Mode = "rstudio"
)

// Config is everything the proxy needs; ParseFlags fills it from flags and
// the environment.
type Config struct {
	// Listen is the address the proxy serves on (":8888").
	Listen string
	// Backend is the IDE's base URL (http://127.0.0.1:8889).
	Backend *url.URL
	// Prefix is NB_PREFIX without its trailing slash; empty serves at "/".
	Prefix string
	Mode   Mode
	// Culling serves <prefix>/api/status and <prefix>/api/kernels from
	// observed activity; off forwards them to the IDE (a Jupyter backend).
	Culling bool
	// WSFloor and WSWindow separate keepalives from use: a websocket counts as
	// activity only once it moves WSFloor bytes within one WSWindow, so an
	// open but idle editor, whose keepalives are a few dozen bytes every few
	// seconds, lets the notebook be culled.
	WSFloor  int
	WSWindow time.Duration
	// AccessLog logs one line per request; the proxy is silent otherwise.
	AccessLog bool
	// WaitBackend keeps the notebook port closed until the IDE listens.
	WaitBackend bool
}

// normalizePrefix turns NB_PREFIX into the form the router compares against:
// a leading slash, no trailing slash, "" for the root.
func normalizePrefix(p string) string {
	p = strings.TrimRight(strings.TrimSpace(p), "/")
	if p == "" {
		return ""
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// parseBackend accepts "host:port", ":port" or an http URL.
func parseBackend(s string) (*url.URL, error) {
	if s == "" {
		return nil, fmt.Errorf("backend is empty: set -backend or NBPROXY_BACKEND to the IDE's address, e.g. 127.0.0.1:8889")
	}
	if !strings.Contains(s, "://") {
		if strings.HasPrefix(s, ":") {
			s = "127.0.0.1" + s
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("parsing backend %q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("backend %q: scheme %q is not http or https", s, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("backend %q has no host: use host:port, e.g. 127.0.0.1:8889", s)
	}
	return u, nil
}

func parseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(s)); m {
	case ModeGeneric, ModeCodeServer, ModeRStudio:
		return m, nil
	}
	return "", fmt.Errorf("mode %q is unknown: use codeserver, rstudio or generic", s)
}
