package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
