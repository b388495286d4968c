package reap

import (
	"context"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Many children started at once, each leaving an orphan behind, while the
// reaper collects everything with wait4(-1): every starter still gets its
// own child's status, and no child is left.
func TestEveryStarterGetsItsOwnStatus(t *testing.T) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Skipf("cannot become a subreaper: %v", err)
	}
	r := New()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var orphans sync.Map
	r.OnOrphan = func(pid int, _ syscall.WaitStatus) { orphans.Store(pid, true) }
	go r.Run(ctx)

	const n = 150
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			script := fmt.Sprintf("(sleep 0.05 &); exit %d", i%200)
			p, err := r.Start("/bin/sh", []string{"sh", "-c", script}, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
			if err != nil {
				errs <- err
				return
			}
			ws, err := p.Wait(ctx)
			if err != nil {
				errs <- fmt.Errorf("child %d: %w", i, err)
				return
			}
			if ws.ExitStatus() != i%200 {
				errs <- fmt.Errorf("child %d got exit %d, want %d", i, ws.ExitStatus(), i%200)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := r.WaitNoChildren(ctx); err != nil {
		t.Fatalf("children left: %v", err)
	}
	count := 0
	orphans.Range(func(any, any) bool { count++; return true })
	if count != n {
		t.Errorf("reaped %d orphans, want %d", count, n)
	}
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		ws   syscall.WaitStatus
		want int
	}{
		{syscall.WaitStatus(3 << 8), 3},
		{syscall.WaitStatus(9), 137},
		{syscall.WaitStatus(15), 143},
	} {
		if got := ExitCode(tc.ws); got != tc.want {
			t.Errorf("ExitCode(%#x) = %d, want %d", uint32(tc.ws), got, tc.want)
		}
	}
}
