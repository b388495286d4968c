package conformance

import (
	"context"

	"errors"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Docker is the driver that runs images through an engine's API the way the
// Kubeflow notebook controller runs them in a pod.
type Docker struct {
	Engine    Engine
	NewProber ProberFactory
	// Session labels everything one nbkit invocation creates.
	Session string
}

func (d *Docker) Name() string { return "docker" }

// notebookOrigin is where the server is reached inside its network namespace.
const notebookOrigin = "http://127.0.0.1:8888"

// stopGrace is the contract's bound for SIGTERM to end the container.
const stopGrace = 10 * time.Second

// Check runs image in the engine and evaluates every selected check.
func (d *Docker) Check(ctx context.Context, image string, p *Plan) (err error) {
	image, insp, err := d.resolve(ctx, image)
	if err != nil {
		return err
	}
	var cfg imageConfig
	if insp.Config != nil {
		cfg = imageConfig{User: insp.Config.User, Labels: insp.Config.Labels}
		_, cfg.Exposes8888 = insp.Config.ExposedPorts["8888/tcp"]
	}
	s := newSession(d.Engine, d.Session, image)
	defer func() {
		if cerr := s.cleanup(ctx); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	ide := ideFromLabels(cfg.Labels)
	p.setIDE(ide)

	files, err := d.inspectFiles(ctx, s, image)
	if err != nil {
		return err
	}
	ru := resolveUser(cfg.User, files.content["/etc/passwd"], files.content["/etc/group"])
	p.run(CheckUser, func() Outcome { return checkUser(files, cfg.User) })
	p.run(CheckInitFiles, func() Outcome { return checkInitFiles(files, ru) })

	if !p.anyEnabled(CheckPort, CheckPrefix, CheckCORS, CheckIframe, CheckNonroot, CheckEmptyHome, CheckRestart, CheckStop,
		CheckNoAuth, CheckWebsocket, CheckCulling, CheckRandomUID, CheckRestricted, CheckReadonlyRoot, CheckPip) {
		return nil
	}
	r := &dockerRun{d: d, s: s, p: p, image: image, cfg: cfg, files: files, ru: ru, ide: ide, prefix: randomPrefix()}
	return r.run(ctx)
}

// CatalogPrefix is the repository nbkit build names the tree's images under
// (nbkit/NAME:latest): a bare catalog name such as "jupyter" that the engine
// does not know is looked up there.
const CatalogPrefix = "nbkit/"

func (d *Docker) resolve(ctx context.Context, image string) (string, client.ImageInspectResult, error) {
	insp, err := d.Engine.ImageInspect(ctx, image)
	if err != nil && isNotFound(err) && !strings.ContainsAny(image, "/:@") {
		if alt, aerr := d.Engine.ImageInspect(ctx, CatalogPrefix+image+":latest"); aerr == nil {
			return CatalogPrefix + image + ":latest", alt, nil
		}
	}
	switch {
	case err != nil && isNotFound(err):
		return image, insp, fmt.Errorf("%w: %s is not in the engine's image store; build it or `docker load` it first", ErrImageMissing, image)
	case err != nil:
		return image, insp, fmt.Errorf("inspecting %s: %w", image, err)
	}
	return image, insp, nil
}

// imageConfig is the part of the image config the checks read.
type imageConfig struct {
	User        string
	Labels      map[string]string
	Exposes8888 bool
}

// inspectFiles reads the image's files from a created, never started,
// container: that needs neither a shell nor a start, and sees the image as built.
func (d *Docker) inspectFiles(ctx context.Context, s *session, image string) (*imageFiles, error) {
	c, err := d.Engine.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: image, Entrypoint: []string{"/nonexistent"}, Labels: s.labelsWith(map[string]string{"dev.nbkit.check.role": "inspect"})},
		HostConfig: &container.HostConfig{NetworkMode: "none"},
	})
	if err != nil {
		return nil, fmt.Errorf("creating a container to read %s's files: %w", image, err)
	}
	s.track(c.ID, "")
	defer d.Engine.ContainerRemove(context.WithoutCancel(ctx), c.ID, client.ContainerRemoveOptions{Force: true})
	return d.readFiles(ctx, c.ID)
}

func randomPrefix() string {
	id := strings.ToLower(newID())
	return "/notebook/nbkit-" + id[:6] + "/check-" + id[6:12]
}

// dockerRun is the state of checking one image.
type dockerRun struct {
	d      *Docker
	s      *session
	p      *Plan
	image  string
	cfg    imageConfig
	files  *imageFiles
	ru     runUser
	ide    IDE
	prefix string

	volume string
	id     string // the main notebook container
	ready  readiness
	nb     *Notebook
	// emptyHome is set when the start failed on an empty home but worked
	// with one file in it.
	emptyHome string
	written   homeWrites
}

func (r *dockerRun) run(ctx context.Context) error {
	if err := r.startMain(ctx); err != nil {
		return err
	}
	r.recordPort()
	if r.ready.Ready && r.ide != IDENone {
		r.nb = &Notebook{Client: r.ready.prober.HTTPClient(), Origin: notebookOrigin, Prefix: r.prefix, IDE: r.ide, Route: RouteKeep}
		if r.ide == IDEUnknown {
			r.ide = detectIDE(ctx, r.nb)
			r.nb.IDE = r.ide
			r.p.setIDE(r.ide)
		}
	}
	r.serverCheck(ctx, CheckPrefix, checkPrefix)
	r.serverCheck(ctx, CheckCORS, checkCORS)
	r.serverCheck(ctx, CheckIframe, checkIframe)
	r.serverCheck(ctx, CheckNoAuth, checkNoAuth)
	r.serverCheck(ctx, CheckWebsocket, checkWebsocket)
	r.serverCheck(ctx, CheckCulling, checkCulling)

	running := !r.ready.Exited
	r.p.run(CheckNonroot, func() Outcome {
		if !running {
			return skip("not evaluated: the container was not running (see port)")
		}
		return r.d.checkNonroot(ctx, r.id, r.ru.UID)
	})
	if r.p.anyEnabled(CheckEmptyHome, CheckRestart) && running {
		var err error
		if r.written, err = r.d.writeHome(ctx, r.id, r.files); err != nil {
			return err
		}
	}
	r.p.run(CheckEmptyHome, func() Outcome {
		switch {
		case r.emptyHome != "":
			return violation("%s", r.emptyHome)
		case !running:
			return skip("not evaluated: the container does not start even with a non-empty home (see port)")
		}
		return judgeHome(r.written, r.files)
	})
	r.p.run(CheckPip, func() Outcome {
		if !running {
			return skip("not evaluated: the container was not running")
		}
		return r.d.checkPip(ctx, r.id, r.ru)
	})
	if err := r.stopAndRestart(ctx, running); err != nil {
		return err
	}
	return r.variants(ctx)
}

// startMain starts the notebook as Kubeflow would; when it dies on the empty
// home it tries again with one file in the home, to tell an empty-home
// problem from a server that never starts.
func (r *dockerRun) startMain(ctx context.Context) error {
	vol, err := r.s.homeVolume(ctx, r.image, false)
	if err != nil {
		return err
	}
	id, rd, err := r.startReady(ctx, vol, kubeflowRun)
	if err != nil {
		return err
	}
	if rd.Exited {
		vol2, err := r.s.homeVolume(ctx, r.image, true)
		if err != nil {
			return err
		}
		id2, rd2, err := r.startReady(ctx, vol2, kubeflowRun)
		if err != nil {
			return err
		}
		if !rd2.Exited {
			r.emptyHome = fmt.Sprintf("on an empty home volume %s, but with one file in the home it started: the start-up must create what it needs in an empty home (Kubeflow mounts an empty PVC on first start)",
				rd.describe(r.p.opts.StartTimeout))
			vol, id, rd = vol2, id2, rd2
		}
	}
	r.volume, r.id, r.ready = vol, id, rd
	return nil
}

// startReady starts a container of variant v on vol and waits until it is ready.
func (r *dockerRun) startReady(ctx context.Context, vol string, v variant) (string, readiness, error) {
	id, err := r.s.start(ctx, r.image, vol, r.prefix, v)
	if err != nil {
		if id == "" && !cerrdefs.IsInvalidArgument(err) {
			return "", readiness{}, err
		}
		// The engine refused the container (no command, unknown user,
		// missing entrypoint): the image is at fault, not the check.
		return id, readiness{Exited: true, StartErr: err.Error()}, nil
	}
	if r.ide == IDENone {
		rd, err := r.d.waitRunning(ctx, id, 3*time.Second)
		return id, rd, err
	}
	rd, err := r.d.waitReady(ctx, r.s, id, r.p.opts.StartTimeout)
	return id, rd, err
}

func (r *dockerRun) recordPort() {
	if r.ide == IDENone {
		if r.ready.Exited {
			// Without a server, staying up is all the image can do; a pod
			// whose container exits is restarted forever (CrashLoopBackOff).
			r.p.record(CheckPort, violation("the image declares no IDE (%s=none), but %s; its init must keep running",
				LabelIDE, r.ready.describe(r.p.opts.StartTimeout)), r.ready.Elapsed)
			return
		}
		r.p.record(CheckPort, notApplicable("the image declares no IDE (%s=none): nothing to serve; the container keeps running", LabelIDE), 0)
		return
	}
	rd := r.ready
	if !rd.Ready {
		r.p.record(CheckPort, violation("%s; the server must listen on port 8888 (0.0.0.0 or 127.0.0.1) — check its start command and that it is the image's CMD/ENTRYPOINT",
			rd.describe(r.p.opts.StartTimeout)), rd.Elapsed)
		return
	}
	o := pass("HTTP %d on 127.0.0.1:8888 after %s", rd.Status, rd.Elapsed.Round(10*time.Millisecond))
	if !r.cfg.Exposes8888 {
		o = advisory("HTTP %d on 127.0.0.1:8888 after %s, but the image does not EXPOSE 8888: add `EXPOSE 8888` so tools and people see the port", rd.Status, rd.Elapsed.Round(10*time.Millisecond))
	}
	r.p.record(CheckPort, o.with("ready_seconds", fmt.Sprintf("%.2f", rd.Elapsed.Seconds())), rd.Elapsed)
}

func (r *dockerRun) serverCheck(ctx context.Context, id ID, f func(context.Context, *Notebook) Outcome) {
	if r.ide == IDENone {
		r.p.record(id, notApplicable("the image declares no IDE (%s=none)", LabelIDE), 0)
		return
	}
	r.p.run(id, func() Outcome {
		if r.nb == nil {
			return skip("not evaluated: the server never answered (see port)")
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		return f(ctx, r.nb)
	})
}

// stopAndRestart measures SIGTERM on the main container, then starts a new
// container on the same home, as a pod restart does.
func (r *dockerRun) stopAndRestart(ctx context.Context, running bool) error {
	if !r.p.anyEnabled(CheckStop, CheckRestart) {
		return nil
	}
	if !running {
		r.p.record(CheckStop, skip("not evaluated: the container was not running"), 0)
		r.p.run(CheckRestart, func() Outcome { return skip("not evaluated: the container was not running") })
		return nil
	}
	r.s.dropProber(ctx, r.id)
	st, err := r.d.stop(ctx, r.id, stopGrace)
	if err != nil {
		return err
	}
	r.p.record(CheckStop, judgeStop(st), st.Latency)
	var restartErr error
	r.p.run(CheckRestart, func() Outcome {
		id, rd, err := r.startReady(ctx, r.volume, kubeflowRun)
		if err != nil {
			restartErr = err
			return broken(err)
		}
		defer r.d.Engine.ContainerKill(context.WithoutCancel(ctx), id, client.ContainerKillOptions{Signal: "SIGKILL"})
		if !rd.Ready && !(r.ide == IDENone && !rd.Exited) {
			return violation("after stop, a new container on the same home volume did not come back: %s", rd.describe(r.p.opts.StartTimeout))
		}
		return r.d.judgeRestart(ctx, id, r.written, rd.Elapsed)
	})
	return restartErr
}

func judgeStop(st stopResult) Outcome {
	o := pass("exited with code %d %s after SIGTERM", st.ExitCode, st.Latency.Round(10*time.Millisecond))
	switch {
	case st.Killed:
		o = violation("still running %s after SIGTERM (killed; exit %d): PID 1 ignores SIGTERM, so every stop in Kubeflow waits the full grace period and then kills; run the server under an init that forwards signals (nbinit, tini) or `exec` it from the start script",
			stopGrace, st.ExitCode)
	case st.ExitCode != 0 && st.ExitCode != 143:
		o = violation("exited with code %d %s after SIGTERM, want 0 or 143: the server should treat SIGTERM as a normal shutdown", st.ExitCode, st.Latency.Round(10*time.Millisecond))
	}
	return o.with("stop_seconds", fmt.Sprintf("%.2f", st.Latency.Seconds()))
}

// variants runs the stricter security contexts, each on a fresh home.
func (r *dockerRun) variants(ctx context.Context) error {
	runs := []struct {
		id   ID
		v    variant
		what string
		fix  string
	}{
		{CheckRandomUID, randomUIDRun, "as uid 1000680000 with gid 0 (OpenShift's restricted SCC)",
			"make what the server writes group-0 writable (chgrp -R 0 DIR && chmod -R g=u DIR) and do not depend on the uid having a passwd entry"},
		{CheckRestricted, restrictedRun, "with all capabilities dropped and no-new-privileges",
			"do not rely on sudo, setuid binaries, or capabilities at start"},
		{CheckReadonlyRoot, readonlyRun, "with a read-only root filesystem (tmpfs on /tmp and /run)",
			"keep runtime files in /tmp, /run or the home instead of the image's own paths"},
	}
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	for i, run := range runs {
		wg.Go(func() {
			r.p.run(run.id, func() Outcome {
				vol, err := r.s.homeVolume(ctx, r.image, r.emptyHome != "")
				if err != nil {
					errs[i] = err
					return broken(err)
				}
				id, rd, err := r.startReady(ctx, vol, run.v)
				if err != nil {
					errs[i] = err
					return broken(err)
				}
				defer r.d.Engine.ContainerKill(context.WithoutCancel(ctx), id, client.ContainerKillOptions{Signal: "SIGKILL"})
				switch {
				case rd.Ready:
					return pass("ready %s after %s", run.what, rd.Elapsed.Round(10*time.Millisecond))
				case r.ide == IDENone && !rd.Exited:
					return pass("still running %s after %s (no IDE to wait for)", run.what, rd.Elapsed.Round(10*time.Millisecond))
				}
				return violation("%s %s: %s", run.what, rd.describe(r.p.opts.StartTimeout), run.fix)
			})
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// waitRunning waits d and reports whether a server-less container still runs.
func (d *Docker) waitRunning(ctx context.Context, id string, wait time.Duration) (readiness, error) {
	select {
	case <-ctx.Done():
		return readiness{}, ctx.Err()
	case <-time.After(wait):
	}
	st, err := d.Engine.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return readiness{}, fmt.Errorf("inspecting container: %w", err)
	}
	if s := st.Container.State; s != nil && !s.Running {
		return readiness{Exited: true, ExitCode: s.ExitCode, Elapsed: wait, Logs: d.logs(ctx, id)}, nil
	}
	return readiness{Elapsed: wait}, nil
}
