package kubeflow

import (
	"encoding/json"
	"testing"

	"github.com/nbkit/nbkit/internal/golden"
)

// The pod each cluster profile runs, pinned: `nbkit check` and `nbkit run`
// both create their containers from Pod.Container, so a change here changes
// what both emulate, on purpose or not at all.
func TestPodPerSecurityContext(t *testing.T) {
	for _, sc := range []SecurityContext{Kubeflow, RandomUID, Restricted, ReadOnlyRoot} {
		t.Run(sc.Name, func(t *testing.T) {
			cfg, hc := Pod{
				Image: "nbkit/jupyter:latest", Prefix: Prefix(DefaultNamespace, "demo"),
				Volume: "demo-home", Security: sc, Labels: map[string]string{"k": "v"},
			}.Container()
			out, err := json.MarshalIndent(map[string]any{"config": compact(t, cfg), "hostConfig": compact(t, hc)}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "pod-"+sc.Name+".json", append(out, '\n'))
		})
	}
}

func TestPodGraceAndLimits(t *testing.T) {
	cfg, hc := Pod{Grace: 0, NanoCPUs: 2e9, MemoryBytes: 1 << 30}.Container()
	if *cfg.StopTimeout != 30 {
		t.Errorf("stop timeout %d, want the pod default 30", *cfg.StopTimeout)
	}
	if hc.NanoCPUs != 2e9 || hc.Memory != 1<<30 {
		t.Errorf("resources %+v, want the limits given", hc.Resources)
	}
}

// compact is v as JSON without its zero fields: the golden files then show
// what the pod sets, not the engine API's every field.
func compact(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any
	json.Unmarshal(b, &m)
	return dropZero(m)
}

func dropZero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = dropZero(e); e == nil {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	case float64:
		if x == 0 {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	}
	return v
}
