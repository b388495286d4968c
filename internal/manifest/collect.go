package manifest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine"
)

// Engine lists the Engine API calls Collect makes.
type Engine interface {
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ContainerCreate(ctx context.Context, opts client.ContainerCreateOptions) (client.ContainerCreateResult, error)
	ContainerStart(ctx context.Context, id string, opts client.ContainerStartOptions) (client.ContainerStartResult, error)
	ContainerWait(ctx context.Context, id string, opts client.ContainerWaitOptions) client.ContainerWaitResult
	ContainerLogs(ctx context.Context, id string, opts client.ContainerLogsOptions) (client.ContainerLogsResult, error)
	ContainerRemove(ctx context.Context, id string, opts client.ContainerRemoveOptions) (client.ContainerRemoveResult, error)
}

// script prints one section per ecosystem. Every tool is optional: an image
// without Python or R simply has empty lists. importlib.metadata stands in
// for pip where pip is absent (Debian's python3 without python3-pip).
const script = `
echo '##debian'
dpkg-query -W -f '${Package}\t${Version}\n' 2>/dev/null
echo '##python'
if command -v python3 >/dev/null 2>&1; then
  python3 -m pip list --disable-pip-version-check --format json 2>/dev/null ||
  python3 -c 'import importlib.metadata as m, json; print(json.dumps([{"name": d.metadata["Name"], "version": d.version} for d in m.distributions()]))'
fi
echo '##r'
if command -v Rscript >/dev/null 2>&1; then
  Rscript -e 'ip <- installed.packages()[, c("Package", "Version"), drop=FALSE]; write.table(ip, sep="\t", quote=FALSE, row.names=FALSE, col.names=FALSE)' 2>/dev/null
fi
echo '##npm'
if command -v npm >/dev/null 2>&1; then
  npm ls -g --depth=0 --json 2>/dev/null
fi
`

// Collect runs ref once, without network, as root (to read every package
// database) and without its entrypoint (nbinit would start services), and
// returns what it contains.
func Collect(ctx context.Context, e Engine, name, ref string) (*Manifest, error) {
	ins, err := e.ImageInspect(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("inspecting %s: %w", ref, err)
	}
	m := &Manifest{Image: name, Ref: ref, ImageID: ins.ID, Size: ins.Size}
	out, err := runScript(ctx, e, ref)
	if err != nil {
		return nil, fmt.Errorf("listing packages of %s: %w", ref, err)
	}
	if err := m.parse(out); err != nil {
		return nil, fmt.Errorf("listing packages of %s: %w", ref, err)
	}
	return m, nil
}

func runScript(ctx context.Context, e Engine, ref string) ([]byte, error) {
	created, err := e.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image: ref, User: "0", Entrypoint: []string{"/bin/sh", "-c"}, Cmd: []string{script},
			Labels: engine.Managed("build"),
		},
		HostConfig: &container.HostConfig{NetworkMode: "none"},
	})
	if err != nil {
		return nil, err
	}
	defer e.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	wait := e.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := e.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return nil, err
	}
	select {
	case res := <-wait.Result:
		if res.StatusCode != 0 {
			return nil, fmt.Errorf("package listing exited %d", res.StatusCode)
		}
	case err := <-wait.Error:
		return nil, err
	}
	logs, err := e.ContainerLogs(ctx, created.ID, client.ContainerLogsOptions{ShowStdout: true})
	if err != nil {
		return nil, err
	}
	defer logs.Close()
	var stdout bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &bytes.Buffer{}, logs); err != nil {
		return nil, err
	}
	return stdout.Bytes(), nil
}

// parse reads the script's sections.
func (m *Manifest) parse(out []byte) error {
	sections := map[string]*bytes.Buffer{}
	var cur *bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "##"); ok {
			cur = &bytes.Buffer{}
			sections[name] = cur
			continue
		}
		if cur != nil {
			cur.WriteString(line + "\n")
		}
	}
	m.Debian = tabbed(sections["debian"])
	m.R = tabbed(sections["r"])
	var err error
	if m.Python, err = pythonList(sections["python"]); err != nil {
		return err
	}
	if m.NPM, err = npmList(sections["npm"]); err != nil {
		return err
	}
	return nil
}

func tabbed(b *bytes.Buffer) []Package {
	out := []Package{}
	if b == nil {
		return out
	}
	for _, line := range strings.Split(b.String(), "\n") {
		name, ver, ok := strings.Cut(line, "\t")
		if ok && name != "" {
			out = append(out, Package{Name: name, Version: ver})
		}
	}
	sortPackages(out)
	return out
}

func pythonList(b *bytes.Buffer) ([]Package, error) {
	out := []Package{}
	if b == nil || strings.TrimSpace(b.String()) == "" {
		return out, nil
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("reading Python package list: %w", err)
	}
	sortPackages(out)
	return out, nil
}

func npmList(b *bytes.Buffer) ([]Package, error) {
	out := []Package{}
	if b == nil || strings.TrimSpace(b.String()) == "" {
		return out, nil
	}
	var tree struct {
		Dependencies map[string]struct {
			Version string `json:"version"`
		} `json:"dependencies"`
	}
	if err := json.Unmarshal(b.Bytes(), &tree); err != nil {
		return nil, fmt.Errorf("reading npm package list: %w", err)
	}
	for n, d := range tree.Dependencies {
		out = append(out, Package{Name: n, Version: d.Version})
	}
	sortPackages(out)
	return out, nil
}
