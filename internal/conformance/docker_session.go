package conformance

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// session tracks what checking one image created in the engine, so that all
// of it is removed afterwards — on success, failure and interruption alike.
type session struct {
	eng    Engine
	labels map[string]string
	mu     sync.Mutex
	// containers and volumes in creation order; probers by container.
	containers []string
	volumes    []string
	probers    map[string]Prober
}

func newSession(eng Engine, sessionID, image string) *session {
	labels := engine.Managed("check")
	labels[engine.LabelSession] = sessionID
	labels["dev.nbkit.check.image"] = image
	// One image's run, so its sweep cannot touch a parallel run of the same image.
	labels[labelRun] = newID()
	return &session{eng: eng, probers: map[string]Prober{}, labels: labels}
}

const labelRun = "dev.nbkit.check.run"

// cleanupTimeout bounds the removal after a run; it runs on a context
// detached from the (possibly cancelled) run.
const cleanupTimeout = 60 * time.Second

// cleanup removes every prober, container and volume of the session.
func (s *session) cleanup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for id, p := range s.probers {
		if err := p.Close(ctx); err != nil {
			errs = append(errs, err)
		}
		delete(s.probers, id)
	}
	for _, id := range s.containers {
		if _, err := s.eng.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("removing container %.12s: %w", id, err))
		}
	}
	for _, v := range s.volumes {
		if _, err := s.eng.VolumeRemove(ctx, v, client.VolumeRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("removing volume %s: %w", v, err))
		}
	}
	s.containers, s.volumes = nil, nil
	errs = append(errs, s.sweep(ctx)...)
	if len(errs) > 0 {
		return fmt.Errorf("cleaning up: %v", errs)
	}
	return nil
}

// sweep removes what carries the session's labels but was never tracked:
// an object whose create call was interrupted can exist without its ID
// having reached us.
func (s *session) sweep(ctx context.Context) []error {
	f := make(client.Filters).Add("label", labelRun+"="+s.labels[labelRun])
	var errs []error
	cs, err := s.eng.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return []error{fmt.Errorf("listing leftover containers: %w", err)}
	}
	for _, c := range cs.Items {
		if _, err := s.eng.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("removing container %.12s: %w", c.ID, err))
		}
	}
	vs, err := s.eng.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return append(errs, fmt.Errorf("listing leftover volumes: %w", err))
	}
	for _, v := range vs.Items {
		if _, err := s.eng.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("removing volume %s: %w", v.Name, err))
		}
	}
	return errs
}

func (s *session) track(containerID, volume string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if containerID != "" {
		s.containers = append(s.containers, containerID)
	}
	if volume != "" {
		s.volumes = append(s.volumes, volume)
	}
}

func (s *session) labelsWith(extra map[string]string) map[string]string {
	l := maps.Clone(s.labels)
	maps.Copy(l, extra)
	return l
}

// homeVolume makes a volume the way a fresh PVC with fsGroup 100 looks to the
// pod: an empty directory owned root:100 with mode 2775. placeholder adds one
// file, for starts that must not depend on the home being empty.
//
// It is prepared through the engine's archive API on a created, never
// started container, so it works for images without a shell.
func (s *session) homeVolume(ctx context.Context, image string, placeholder bool) (string, error) {
	name := "nbkit-check-" + newID()
	if _, err := s.eng.VolumeCreate(ctx, client.VolumeCreateOptions{Name: name, Labels: s.labels}); err != nil {
		return "", fmt.Errorf("creating home volume: %w", err)
	}
	s.track("", name)
	prep, err := s.eng.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: image, Labels: s.labelsWith(map[string]string{"dev.nbkit.check.role": "prepare"}),
			Entrypoint: []string{"/nonexistent"}},
		HostConfig: &container.HostConfig{NetworkMode: "none", Mounts: []mount.Mount{homeMount(name)}},
	})
	if err != nil {
		return "", fmt.Errorf("creating home preparation container: %w", err)
	}
	s.track(prep.ID, "")
	defer s.eng.ContainerRemove(context.WithoutCancel(ctx), prep.ID, client.ContainerRemoveOptions{Force: true})

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "jovyan/", Typeflag: tar.TypeDir, Mode: 0o2775, Uid: 0, Gid: 100, ModTime: time.Now()})
	if placeholder {
		body := []byte("placed by nbkit check: this start must not depend on an empty home\n")
		tw.WriteHeader(&tar.Header{Name: "jovyan/" + placeholderName, Typeflag: tar.TypeReg, Mode: 0o664, Uid: 0, Gid: 100, Size: int64(len(body)), ModTime: time.Now()})
		tw.Write(body)
	}
	tw.Close()
	// CopyUIDGID stays false: then the engine keeps the archive's owners;
	// true would chown everything to the image's USER, looked up on the host.
	if _, err := s.eng.CopyToContainer(ctx, prep.ID, client.CopyToContainerOptions{DestinationPath: "/home", Content: &buf}); err != nil {
		return "", fmt.Errorf("preparing home volume (root:100, mode 2775): %w", err)
	}
	return name, nil
}

const placeholderName = ".nbkit-check-placeholder"

func homeMount(volume string) mount.Mount {
	// NoCopy: a PVC starts empty; without it the engine would copy the
	// image's /home/jovyan into the volume and hide the empty-home problem.
	return mount.Mount{Type: mount.TypeVolume, Source: volume, Target: "/home/jovyan", VolumeOptions: &mount.VolumeOptions{NoCopy: true}}
}

// variant is one way of running the image: the Kubeflow defaults, or a
// stricter cluster's security context.
type variant struct {
	name      string
	user      string // "" keeps the image's USER, as Kubeflow does
	capDrop   bool
	noNewPriv bool
	readonly  bool
}

var (
	kubeflowRun   = variant{name: "kubeflow"}
	randomUIDRun  = variant{name: "random-uid", user: "1000680000:0"}
	restrictedRun = variant{name: "restricted", capDrop: true, noNewPriv: true}
	readonlyRun   = variant{name: "readonly-root", readonly: true}
)

// start creates and starts the notebook container on volume.
func (s *session) start(ctx context.Context, image, volume, prefix string, v variant) (string, error) {
	hc := &container.HostConfig{
		NetworkMode: "none",
		GroupAdd:    []string{"100"}, // fsGroup
		Mounts:      []mount.Mount{homeMount(volume)},
		// Kubernetes gives /dev/shm a memory emptyDir; 64 MB is Docker's default too.
		ReadonlyRootfs: v.readonly,
	}
	if v.capDrop {
		hc.CapDrop = []string{"ALL"}
	}
	if v.noNewPriv {
		hc.SecurityOpt = []string{"no-new-privileges"}
	}
	if v.readonly {
		hc.Tmpfs = map[string]string{"/tmp": "rw,nosuid,nodev,mode=1777", "/run": "rw,nosuid,nodev,mode=1777"}
	}
	created, err := s.eng.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:      image,
			User:       v.user,
			Env:        []string{"NB_PREFIX=" + prefix},
			WorkingDir: "/home/jovyan",
			Labels:     s.labelsWith(map[string]string{"dev.nbkit.check.role": v.name}),
		},
		HostConfig: hc,
	})
	if err != nil {
		return "", fmt.Errorf("creating %s container: %w", v.name, err)
	}
	s.track(created.ID, "")
	if _, err := s.eng.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return created.ID, fmt.Errorf("starting %s container: %w", v.name, err)
	}
	return created.ID, nil
}

// prober returns a prober for a running container, started once.
func (s *session) prober(ctx context.Context, newProber ProberFactory, id string) (Prober, error) {
	s.mu.Lock()
	p, ok := s.probers[id]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := newProber(ctx, id, s.labelsWith(map[string]string{"dev.nbkit.check.role": "probe"}))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.probers[id] = p
	s.mu.Unlock()
	return p, nil
}

// dropProber closes the prober of a container that stopped: a new
// container has a new network namespace and needs its own.
func (s *session) dropProber(ctx context.Context, id string) {
	s.mu.Lock()
	p, ok := s.probers[id]
	delete(s.probers, id)
	s.mu.Unlock()
	if ok {
		p.Close(context.WithoutCancel(ctx))
	}
}
