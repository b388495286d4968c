package conformance

import (
	"context"
	"fmt"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

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
	r.recordPort(ctx)
	if r.ready.Ready && r.ide != IDENone {
		r.nb = &Notebook{Client: r.ready.prober.HTTPClient(), Origin: notebookOrigin, Prefix: r.prefix, IDE: r.ide, Route: RouteKeep}
		if r.ide == IDEUnknown {
			r.ide = detectIDE(ctx, r.nb)
			r.nb.IDE = r.ide
			r.p.setIDE(r.ide)
		}
	}
	r.serverCheck(ctx, CheckPrefix, checkPrefix)
	if !r.p.Enabled(CheckPrefix) && r.nb != nil {
		// The later checks need the routing mode prefix picks, selected or not.
		checkPrefix(ctx, r.nb)
	}
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

func (r *dockerRun) recordPort(ctx context.Context) {
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
		r.p.record(CheckPort, violation("%s; the server must listen on 0.0.0.0:8888 — check its start command and that it is the image's CMD/ENTRYPOINT",
			rd.describe(r.p.opts.StartTimeout)), rd.Elapsed)
		return
	}
	o := pass("HTTP %d on 127.0.0.1:8888 after %s", rd.Status, rd.Elapsed.Round(10*time.Millisecond))
	switch {
	case r.d.loopbackOnly(ctx, r.id):
		o = violation("HTTP %d on 127.0.0.1:8888 after %s, but the server listens on loopback only: in a pod, Service traffic arrives on the pod IP (Istio 1.10+ forwards there too), so Kubeflow cannot reach it; listen on 0.0.0.0 (Jupyter: --ServerApp.ip=0.0.0.0)",
			rd.Status, rd.Elapsed.Round(10*time.Millisecond))
		o.local = true // reachable here: the other checks still judge the server
	case !r.cfg.Exposes8888:
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
