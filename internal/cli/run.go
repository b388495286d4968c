package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/docker/go-units"

	"github.com/nbkit/nbkit/internal/engine"
	"github.com/nbkit/nbkit/internal/launch"
)

// runRun starts a notebook the way Kubeflow would and serves it behind the
// local dashboard until interrupted.
func runRun(ctx context.Context, s Streams, args []string) error {
	fs := newFlags("run", "IMAGE [flags]", s)
	name := fs.String("name", "", "notebook name (default: the image's name)")
	namespace := fs.String("namespace", launch.DefaultNamespace, "Kubeflow profile namespace, part of the URL prefix")
	serverType := fs.String("server-type", "", "jupyter, group-one (code-server) or group-two (RStudio); the image's label "+launch.LabelServerType+" wins (default jupyter)")
	cpus := fs.Float64("cpus", 0, "CPU limit, e.g. 1.5 (default: none)")
	memory := fs.String("memory", "", "memory limit, e.g. 2Gi or 512m (default: none)")
	listen := fs.String("listen", "127.0.0.1:0", "address the dashboard listens on; keep it on loopback unless you mean it")
	port := fs.Int("port", 0, "dashboard port, shorthand for --listen 127.0.0.1:PORT")
	network := fs.String("network", string(launch.NetworkAuto), "how to reach the notebook: none (relay in its network namespace), bridge (publish 8888 on 127.0.0.1), auto")
	grace := fs.Duration("grace", launch.DefaultGracePeriod, "stop grace period before SIGKILL")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long the notebook may take to answer")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &ExitError{Code: 2, Err: errors.New("run takes exactly one IMAGE")}
	}

	spec := launch.Spec{Image: pos[0], Name: *name, Namespace: *namespace, GracePeriod: *grace, NanoCPUs: int64(*cpus * 1e9)}
	if spec.Name == "" {
		spec.Name = defaultName(pos[0])
	}
	if *serverType != "" {
		if spec.ServerType, err = launch.ParseServerType(*serverType); err != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("--server-type: %w", err)}
		}
	}
	if *memory != "" {
		if spec.MemoryBytes, err = units.RAMInBytes(*memory); err != nil {
			return &ExitError{Code: 2, Err: fmt.Errorf("--memory %q: use a size such as 2Gi or 512m", *memory)}
		}
	}
	if spec.Network, err = launch.ParseNetworkMode(*network); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	addr := *listen
	if *port != 0 {
		host, _, _ := net.SplitHostPort(addr)
		addr = net.JoinHostPort(host, strconv.Itoa(*port))
	}

	cli, err := engine.Connect(ctx)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer cli.Close()
	nb, err := launch.Open(ctx, cli, spec)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	for _, w := range nb.Warnings {
		fmt.Fprintln(s.Err, "warning:", w)
	}
	spec = nb.Spec()

	// Buttons may still be working when ctx ends; they must not be cut off
	// halfway through a start.
	life := context.WithoutCancel(ctx)
	srv, err := launch.Listen(life, nb, addr, *timeout)
	if err != nil {
		return err
	}
	if !launch.IsLoopback(addr) {
		fmt.Fprintf(s.Err, "warning: the dashboard listens on %s, beyond this machine; the token is all that guards the notebook\n", addr)
	}
	fmt.Fprintf(s.Out, "Starting %s as %s/%s (%s, home volume %s, network %s)\n",
		spec.Image, spec.Namespace, spec.Name, spec.ServerType, spec.VolumeName(), spec.Network)
	fmt.Fprintf(s.Out, "Dashboard: %s\n", srv.URL)

	startErr := nb.Start(ctx, *timeout)
	if startErr == nil {
		st := nb.Status(ctx)
		fmt.Fprintf(s.Out, "Ready after %.1fs under %s/ — press Ctrl-C to stop\n", st.ReadySeconds, spec.Prefix())
		<-ctx.Done()
	}
	fmt.Fprintf(s.Out, "Stopping %s/%s (SIGTERM, up to %s)…\n", spec.Namespace, spec.Name, spec.GracePeriod)
	stopErr := nb.Stop(life)
	srv.Shutdown(life)
	if startErr != nil && ctx.Err() == nil {
		return fmt.Errorf("starting %s: %w", spec.Image, startErr)
	}
	if stopErr != nil {
		return stopErr
	}
	fmt.Fprintf(s.Out, "Stopped. Home volume %s kept: `nbkit run` again to reuse it, `nbkit rm %s --volume` to delete it.\n", spec.VolumeName(), spec.Name)
	return nil
}

// defaultName turns "nbkit/jupyter-scipy:latest" into "jupyter-scipy",
// made a valid Kubernetes name.
func defaultName(image string) string {
	n := image[strings.LastIndex(image, "/")+1:]
	if i := strings.IndexAny(n, ":@"); i >= 0 {
		n = n[:i]
	}
	n = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, n)
	return strings.Trim(n, "-")
}

// parseInterspersed parses flags before and after positional arguments, so
// that `nbkit run IMAGE --name x` works as well as `nbkit run --name x IMAGE`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
