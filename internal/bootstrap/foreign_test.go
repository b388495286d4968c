package bootstrap

import (
	"os"
	"runtime"
	"testing"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
	"github.com/nbkit/nbkit/internal/manifest"
)

// An arm64 base on an amd64 host: the image must say arm64 (the engine's own
// import would say amd64) and its binaries must run under emulation.
func TestBootstrapForeignArchitecture(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the foreign-architecture test runs on amd64 hosts")
	}
	if _, err := os.Stat("/proc/sys/fs/binfmt_misc/qemu-aarch64"); err != nil {
		t.Skip("arm64 emulation not registered (apt-get install qemu-user-static binfmt-support arch-test)")
	}
	if os.Getenv("NBKIT_TEST_ARM64") == "" {
		t.Skip("an emulated bootstrap takes 4-6 minutes on 2 cores: set NBKIT_TEST_ARM64=1 to run it")
	}
	cli := enginetest.Client(t)
	needMmdebstrap(t)
	ref := throwawayRef(t, cli)
	res, err := Run(t.Context(), cli, Options{Ref: ref, Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := cli.ImageInspect(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if ins.Architecture != "arm64" || ins.ID != res.ImageID {
		t.Errorf("architecture %s id %s, want arm64 and %s", ins.Architecture, ins.ID, res.ImageID)
	}
	m, err := manifest.Collect(t.Context(), cli, "debian-arm64", ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Debian) < 50 {
		t.Errorf("only %d packages listed by the emulated dpkg-query", len(m.Debian))
	}
}
