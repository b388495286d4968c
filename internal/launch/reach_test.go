package launch

import (
	"testing"

	"github.com/moby/moby/api/types/container"
)

func TestNetworkModeConfigure(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		cfg, hc := &container.Config{}, &container.HostConfig{}
		NetworkNone.configure(cfg, hc)
		if hc.NetworkMode != "none" || len(hc.PortBindings) != 0 {
			t.Errorf("network %q bindings %v, want none and nothing published", hc.NetworkMode, hc.PortBindings)
		}
	})
	t.Run("bridge publishes on loopback only", func(t *testing.T) {
		cfg, hc := &container.Config{}, &container.HostConfig{}
		NetworkBridge.configure(cfg, hc)
		b := hc.PortBindings[notebookPort]
		if len(b) != 1 || b[0].HostIP.String() != "127.0.0.1" || b[0].HostPort != "" {
			t.Errorf("bindings %v, want 8888/tcp on 127.0.0.1 at a free port", hc.PortBindings)
		}
		if _, ok := cfg.ExposedPorts[notebookPort]; !ok || hc.NetworkMode != "" {
			t.Errorf("exposed %v, network %q; want 8888/tcp on the default bridge", cfg.ExposedPorts, hc.NetworkMode)
		}
	})
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:80": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.5:80": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestSpecValidate(t *testing.T) {
	ok := Spec{Image: "i", Name: "demo", Namespace: "kubeflow-user-example-com"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid spec: %v", err)
	}
	if ok.Prefix() != "/notebook/kubeflow-user-example-com/demo" || ok.VolumeName() != "nbkit-kubeflow-user-example-com-demo-home" {
		t.Errorf("prefix %q volume %q", ok.Prefix(), ok.VolumeName())
	}
	for _, bad := range []Spec{
		{Image: "", Name: "a", Namespace: "b"},
		{Image: "i", Name: "Demo", Namespace: "b"},
		{Image: "i", Name: "a_b", Namespace: "b"},
		{Image: "i", Name: "a", Namespace: "-b"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
