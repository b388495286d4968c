package frontproxy

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ParseFlags reads the configuration from args, with defaults taken from the
// environment (getenv) so that an image can configure the service either way.
func ParseFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("nbproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: nbproxy [flags]\n\nProxies the notebook port to an IDE and serves the Kubeflow culling endpoints.\nEvery flag defaults to the environment variable named in its description.\n\n")
		fs.PrintDefaults()
	}
	listen := fs.String("listen", env("NBPROXY_LISTEN", ":8888"), "address to serve on (NBPROXY_LISTEN)")
	backend := fs.String("backend", env("NBPROXY_BACKEND", "127.0.0.1:8889"), "the IDE's address, host:port or URL (NBPROXY_BACKEND)")
	prefix := fs.String("prefix", getenv("NB_PREFIX"), "path prefix the notebook is served under (NB_PREFIX)")
	mode := fs.String("mode", env("NBPROXY_MODE", string(ModeGeneric)), "IDE behind the proxy: codeserver, rstudio or generic (NBPROXY_MODE)")
	culling := fs.String("culling", env("NBPROXY_CULLING", "true"), "serve <prefix>/api/status and /api/kernels from observed activity (NBPROXY_CULLING)")
	floor := fs.String("ws-floor", env("NBPROXY_WS_FLOOR", "512"), "bytes a websocket must move within -ws-window to count as activity (NBPROXY_WS_FLOOR)")
	window := fs.String("ws-window", env("NBPROXY_WS_WINDOW", "10s"), "window for -ws-floor, also how long a websocket stays busy (NBPROXY_WS_WINDOW)")
	accessLog := fs.String("access-log", env("NBPROXY_ACCESS_LOG", "false"), "log one line per request (NBPROXY_ACCESS_LOG)")
	wait := fs.String("wait-backend", env("NBPROXY_WAIT_BACKEND", "true"), "open the port only once the IDE accepts connections (NBPROXY_WAIT_BACKEND)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q: nbproxy takes flags only", fs.Arg(0))
	}
	cfg := Config{Listen: *listen, Prefix: normalizePrefix(*prefix)}
	var err error
	if cfg.Backend, err = parseBackend(*backend); err != nil {
		return Config{}, fmt.Errorf("-backend: %w", err)
	}
	if cfg.Mode, err = parseMode(*mode); err != nil {
		return Config{}, fmt.Errorf("-mode: %w", err)
	}
	if cfg.Culling, err = strconv.ParseBool(*culling); err != nil {
		return Config{}, fmt.Errorf("-culling %q: use true or false", *culling)
	}
	if cfg.AccessLog, err = strconv.ParseBool(*accessLog); err != nil {
		return Config{}, fmt.Errorf("-access-log %q: use true or false", *accessLog)
	}
	if cfg.WaitBackend, err = strconv.ParseBool(*wait); err != nil {
		return Config{}, fmt.Errorf("-wait-backend %q: use true or false", *wait)
	}
	if cfg.WSFloor, err = strconv.Atoi(*floor); err != nil || cfg.WSFloor < 0 {
		return Config{}, fmt.Errorf("-ws-floor %q: use a byte count, 0 or more", *floor)
	}
	if cfg.WSWindow, err = time.ParseDuration(*window); err != nil || cfg.WSWindow <= 0 {
		return Config{}, fmt.Errorf("-ws-window %q: use a positive duration such as 10s", *window)
	}
	return cfg, nil
}
