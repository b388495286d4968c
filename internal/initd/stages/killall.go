package stages

import (
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/nbkit/nbkit/internal/initd/logline"
	"github.com/nbkit/nbkit/internal/initd/reap"
)

// signalAll sends sig to every process nbinit is responsible for and returns
// how many it signalled (-1 when unknown). As PID 1 that is everything in the
// container (kill -1). As a subreaper kill -1 would reach far beyond the
// container, so only nbinit's descendants, found in /proc, are signalled.
func (in *initProc) signalAll(sig syscall.Signal) int {
	if in.pid1 {
		err := syscall.Kill(-1, sig)
		if err == syscall.ESRCH {
			return 0
		}
		return -1
	}
	pids, err := descendants(os.Getpid())
	if err != nil {
		in.log.Logf(logline.Warn, "stop", "processes", "listing processes in /proc: %v", err)
		return -1
	}
	for _, pid := range pids {
		syscall.Kill(pid, sig)
	}
	in.log.Logf(logline.Trace, "stop", "processes", "sent %s to %d process(es)", reap.SignalName(sig), len(pids))
	return len(pids)
}

// descendants lists every process below root, from /proc.
func descendants(root int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// The command name in parentheses may hold spaces: fields start after the last ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], pid)
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out, nil
}
