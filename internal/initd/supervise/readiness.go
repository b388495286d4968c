package supervise

import (
	"os"

	"github.com/nbkit/nbkit/internal/initd/reap"
)

// awaitNotification marks the service ready when run writes a newline on its
// notification fd, as s6-supervise does.
func (s *Service) awaitNotification(r *os.File, p *reap.Proc) {
	defer r.Close()
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if b == '\n' {
				s.cfg.Log.Stepf("ready (pid %d wrote to its notification fd)", p.Pid)
				s.markReady()
				return
			}
		}
		if err != nil {
			return
		}
	}
}
