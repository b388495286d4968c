package rundir

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// Listen makes the control fifo and calls onHalt for every halt request
// until ctx ends. The fifo is writable by everyone because a service often
// runs as another user than nbinit (s6-setuidgid) and must still be able to
// stop the container, as it can with s6-overlay.
func (d Dir) Listen(ctx context.Context, onHalt func()) error {
	p := d.ControlFifo()
	_ = os.Remove(p)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		return fmt.Errorf("making control fifo %s: %w", p, err)
	}
	if err := os.Chmod(p, 0o622); err != nil {
		return fmt.Errorf("opening control fifo %s to services: %w", p, err)
	}
	// O_RDWR keeps a writer open so reads block instead of seeing EOF
	// between two halt calls.
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("opening control fifo %s: %w", p, err)
	}
	go func() {
		<-ctx.Done()
		f.Close()
	}()
	go func() {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "halt" {
				onHalt()
			}
		}
	}()
	return nil
}

// ErrNotRunning means no nbinit listens on the control fifo.
var ErrNotRunning = errors.New("nbinit is not running")

// Halt asks the nbinit owning d to stop the container.
func (d Dir) Halt() error {
	p := d.ControlFifo()
	f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ENXIO) || errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("opening %s: %w", p, ErrNotRunning)
		}
		return fmt.Errorf("opening %s: %w", p, err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("halt\n")); err != nil {
		return fmt.Errorf("writing to %s: %w", p, err)
	}
	return nil
}
