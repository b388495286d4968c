package supervise

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultFinishTimeout is s6-supervise's bound on finish.
const DefaultFinishTimeout = 5 * time.Second

// notificationFD reads the notification-fd file of dir: 0, nil when absent.
func notificationFD(dir string) (int, error) {
	p := filepath.Join(dir, "notification-fd")
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", p, err)
	}
	s := strings.TrimSpace(string(b))
	n, err := strconv.Atoi(s)
	if err != nil || n < 3 || n > 1023 {
		return 0, fmt.Errorf("%s holds %q, want one file descriptor number from 3 to 1023 (for example 3); fix the file or remove it", p, s)
	}
	return n, nil
}

// finishTimeout reads timeout-finish (milliseconds, 0 = no limit).
func finishTimeout(dir string) (time.Duration, error) {
	p := filepath.Join(dir, "timeout-finish")
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultFinishTimeout, nil
	}
	if err != nil {
		return DefaultFinishTimeout, fmt.Errorf("reading %s: %w", p, err)
	}
	s := strings.TrimSpace(string(b))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return DefaultFinishTimeout, fmt.Errorf("%s holds %q, want milliseconds such as 5000 (0 = no limit); using 5000", p, s)
	}
	return time.Duration(n) * time.Millisecond, nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
