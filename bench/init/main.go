// Command initbench measures nbinit against tini, dumb-init and s6-svscan
// side by side: time from exec of the init to exec of the CMD, stop latency
// (SIGTERM to exit) with one idle service, resident memory of the init's own
// processes, and binary size. Every init runs as PID 1 of a fresh PID
// namespace (unshare), as in a container. Run it through run.sh.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if os.Getenv("BENCH_ROLE") == "stamp" {
		// The CMD: report the wall-clock time it got control.
		fmt.Println(time.Now().UnixNano())
		return
	}
	nbinit := flag.String("nbinit", "", "path of the nbinit binary")
	starts := flag.Int("starts", 30, "start-up samples per init")
	stops := flag.Int("stops", 10, "stop samples per init")
	flag.Parse()
	if *nbinit == "" {
		fmt.Fprintln(os.Stderr, "usage: initbench -nbinit PATH [-starts N] [-stops N]")
		os.Exit(2)
	}
	if err := run(*nbinit, *starts, *stops); err != nil {
		fmt.Fprintln(os.Stderr, "initbench:", err)
		os.Exit(1)
	}
}

// contender is one init and how to start it with a CMD or a service.
type contender struct {
	name  string
	files []string // what an image must carry
	comms []string // process names of the init's own processes
	// withCmd returns argv running cmd; withService argv supervising svc (a run script).
	withCmd     func(cmd string) []string
	withService func(run string) []string
}

func run(nbinit string, starts, stops int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "initbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// Each layout is an empty etc (nbinit) or scan dir (s6) plus one service.
	etcEmpty := mkdir(work, "etc-empty")
	etcSvc := mkdir(work, "etc-svc")
	scanCmd := mkdir(work, "scan-cmd")
	scanSvc := mkdir(work, "scan-svc")
	runDir := mkdir(work, "run")
	mkdir(etcSvc, "services.d/idle")
	mkdir(scanCmd, "cmd")
	mkdir(scanSvc, "idle")
	ready := filepath.Join(work, "ready")
	idle := "#!/bin/sh\necho > " + ready + "\nexec sleep 1000\n"
	for _, p := range []string{filepath.Join(etcSvc, "services.d/idle/run"), filepath.Join(scanSvc, "idle/run")} {
		if err := os.WriteFile(p, []byte(idle), 0o755); err != nil {
			return err
		}
	}
	if err := os.Symlink(self, filepath.Join(scanCmd, "cmd/run")); err != nil {
		return err
	}
	idleScript := filepath.Join(etcSvc, "services.d/idle/run")

	// nbinit's start writes the environment folder into /run, which in a
	// container is on the disk (overlayfs): measured there, and on a tmpfs
	// (/dev/shm) to show how much of the start is that disk.
	shmRun, err := os.MkdirTemp("/dev/shm", "initbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(shmRun)
	nbinitOn := func(name, runRoot string) contender {
		return contender{name, []string{nbinit}, []string{filepath.Base(nbinit)},
			func(cmd string) []string {
				// A fresh runtime dir each time, as `docker run` gives a fresh /run.
				fresh, _ := os.MkdirTemp(runRoot, "run-")
				return []string{"env", "NBINIT_ETC=" + etcEmpty, "NBINIT_RUNDIR=" + fresh, nbinit, cmd}
			},
			func(string) []string {
				return []string{"env", "NBINIT_ETC=" + etcSvc, "NBINIT_RUNDIR=" + runRoot, nbinit}
			}}
	}
	contenders := []contender{
		nbinitOn("nbinit", runDir),
		nbinitOn("nbinit, /run on tmpfs", shmRun),
		{"tini", []string{"/usr/bin/tini"}, []string{"tini"},
			func(cmd string) []string { return []string{"/usr/bin/tini", "--", cmd} },
			func(run string) []string { return []string{"/usr/bin/tini", "--", run} }},
		{"dumb-init", []string{"/usr/bin/dumb-init"}, []string{"dumb-init"},
			func(cmd string) []string { return []string{"/usr/bin/dumb-init", cmd} },
			func(run string) []string { return []string{"/usr/bin/dumb-init", run} }},
		{"s6-svscan", []string{"/usr/bin/s6-svscan", "/usr/bin/s6-supervise", "/usr/lib/x86_64-linux-gnu/libskarnet.so.2.13"}, []string{"s6-svscan", "s6-supervise"},
			func(string) []string { return []string{"/usr/bin/s6-svscan", scanCmd} },
			func(string) []string { return []string{"/usr/bin/s6-svscan", scanSvc} }},
	}

	// Rounds interleave the inits so that load from elsewhere on the
	// machine hits them all alike.
	var baseline []time.Duration
	startS := map[string][]time.Duration{}
	stopS := map[string][]time.Duration{}
	rss := map[string]int{}
	for i := 0; i < starts; i++ {
		d, err := startSamples([]string{self}, 1)
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		baseline = append(baseline, d...)
		for _, c := range contenders {
			d, err := startSamples(c.withCmd(self), 1)
			if err != nil {
				return fmt.Errorf("%s start: %w", c.name, err)
			}
			startS[c.name] = append(startS[c.name], d...)
		}
	}
	for i := 0; i < stops; i++ {
		for _, c := range contenders {
			d, r, err := stopSamples(c.withService(idleScript), ready, c.comms, 1)
			if err != nil {
				return fmt.Errorf("%s stop: %w", c.name, err)
			}
			stopS[c.name] = append(stopS[c.name], d...)
			if i == 0 {
				rss[c.name] = r
			}
		}
	}

	fmt.Printf("initbench: %d start samples, %d stop samples per init, interleaved, all as PID 1 under unshare; %s\n\n", starts, stops, time.Now().UTC().Format(time.RFC3339))
	fmt.Println("| init | start: exec of init → exec of CMD, above direct exec: median (min, p75) | stop: SIGTERM → exit, one idle service: median (min, p75) | RSS of the init's processes | size on disk |")
	fmt.Println("|---|---|---|---|---|")
	base := median(baseline)
	type row struct {
		start, stop time.Duration
		rss         int
		size        int64
	}
	rows := map[string]row{}
	for _, c := range contenders {
		r := row{start: median(startS[c.name]) - base, stop: median(stopS[c.name]), rss: rss[c.name], size: sizes(c.files)}
		rows[c.name] = r
		fmt.Printf("| %s | %s (%s, %s) | %s (%s, %s) | %d KiB | %s |\n", c.name,
			ms(r.start), ms(quantile(startS[c.name], 0)-quantile(baseline, 0)), ms(quantile(startS[c.name], 0.75)-base),
			ms(r.stop), ms(quantile(stopS[c.name], 0)), ms(quantile(stopS[c.name], 0.75)),
			r.rss, kib(r.size))
	}
	fmt.Printf("\nDirect exec of the CMD through unshare (subtracted above): median %s, min %s.\n\nRatios of medians, nbinit / other:\n\n", ms(base), ms(quantile(baseline, 0)))
	n := rows["nbinit"]
	for _, c := range contenders[2:] {
		o := rows[c.name]
		fmt.Printf("- vs %s: start overhead %+.2f ms, stop %.2fx, RSS %.1fx, size %.1fx\n", c.name,
			float64(n.start-o.start)/1e6, ratio(n.stop, o.stop), float64(n.rss)/float64(o.rss), float64(n.size)/float64(o.size))
	}
	return nil
}

// startSamples runs argv as PID 1 of a new PID namespace with BENCH_ROLE=stamp
// and returns, per run, the time from starting it to the CMD's stamp.
func startSamples(argv []string, n int) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i < n; i++ {
		cmd := exec.Command("unshare", append([]string{"--pid", "--fork", "--mount-proc"}, argv...)...)
		cmd.Env = append(containerEnv(), "BENCH_ROLE=stamp")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("reading the CMD's stamp: %w\n%s", err, stderr.String())
		}
		ns, _ := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
		out = append(out, time.Unix(0, ns).Sub(t0))
		// s6-svscan keeps restarting the CMD as a service: end the namespace.
		if pid := childOf(cmd.Process.Pid); pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		cmd.Wait()
	}
	return out, nil
}

// stopSamples starts argv with one idle service, waits until it is up,
// measures RSS once, then times SIGTERM to exit.
func stopSamples(argv []string, ready string, comms []string, n int) ([]time.Duration, int, error) {
	var out []time.Duration
	rss := 0
	for i := 0; i < n; i++ {
		os.Remove(ready)
		cmd := exec.Command("unshare", append([]string{"--pid", "--fork", "--mount-proc"}, argv...)...)
		cmd.Env = containerEnv()
		if err := cmd.Start(); err != nil {
			return nil, 0, err
		}
		if err := waitFile(ready, 5*time.Second); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, 0, err
		}
		time.Sleep(50 * time.Millisecond) // let the init settle after the service started
		pid := childOf(cmd.Process.Pid)
		if i == 0 {
			rss = ownRSS(pid, comms)
		}
		t0 := time.Now()
		syscall.Kill(pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
			out = append(out, time.Since(t0))
		case <-time.After(15 * time.Second):
			syscall.Kill(pid, syscall.SIGKILL)
			<-done
			return nil, 0, fmt.Errorf("%s did not stop within 15s of SIGTERM", argv[0])
		}
	}
	return out, rss, nil
}

// ownRSS sums VmRSS of pid and its descendants whose name is one of comms.
func ownRSS(pid int, comms []string) int {
	total := 0
	for _, p := range append([]int{pid}, descendants(pid)...) {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		if !slices.Contains(comms, strings.TrimSpace(string(comm))) {
			continue
		}
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.Atoi(f[1])
				total += kb
			}
		}
	}
	return total
}

func descendants(pid int) []int {
	var out []int
	for _, c := range children(pid) {
		out = append(out, c)
		out = append(out, descendants(c)...)
	}
	return out
}

func children(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		data, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(data)) {
			n, _ := strconv.Atoi(f)
			out = append(out, n)
		}
	}
	return out
}

// childOf waits for unshare's forked child: the init, PID 1 inside.
func childOf(pid int) int {
	for i := 0; i < 500; i++ {
		if c := children(pid); len(c) > 0 {
			return c[0]
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0
}

func waitFile(p string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(p); err == nil {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("the service never wrote %s", p)
}

func mkdir(root, rel string) string {
	p := filepath.Join(root, rel)
	os.MkdirAll(p, 0o755)
	return p
}

func sizes(files []string) int64 {
	var total int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}
	return total
}

func median(d []time.Duration) time.Duration { return quantile(d, 0.5) }

func quantile(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
func kib(n int64) string        { return fmt.Sprintf("%d KiB", n/1024) }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// containerEnv is what `docker run` typically gives PID 1: the image's ENV
// plus HOSTNAME and HOME, not the environment of the benchmarking shell.
func containerEnv() []string {
	return []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOSTNAME=0123456789ab", "HOME=/root", "LANG=C.UTF-8", "TERM=xterm",
		"NB_USER=jovyan", "NB_UID=1000", "NB_PREFIX=/notebook/user/demo", "S6_VERBOSITY=1",
	}
}
