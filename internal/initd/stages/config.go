package stages

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/rundir"
)

// EtcVar moves the cont-init.d, services.d and cont-finish.d folders from
// /etc to another directory (tests, and images that keep them elsewhere).
const EtcVar = "NBINIT_ETC"

// Config is nbinit's behaviour as set by the S6_* variables of s6-overlay v3.
type Config struct {
	Verbosity              int           // S6_VERBOSITY, 0-5
	Stage2Hook             string        // S6_STAGE2_HOOK
	BehaviourIfStage2Fails int           // S6_BEHAVIOUR_IF_STAGE2_FAILS: 0, 1, 2
	CmdWaitForServices     bool          // S6_CMD_WAIT_FOR_SERVICES
	CmdWaitMax             time.Duration // S6_CMD_WAIT_FOR_SERVICES_MAXTIME, 0 = no limit
	CmdArg0                []string      // S6_CMD_ARG0, split on blanks
	CmdReceiveSignals      bool          // S6_CMD_RECEIVE_SIGNALS
	ServicesGrace          time.Duration // S6_SERVICES_GRACETIME
	ServicesReady          time.Duration // S6_SERVICES_READYTIME
	KillGrace              time.Duration // S6_KILL_GRACETIME
	KillFinishMax          time.Duration // S6_KILL_FINISH_MAXTIME, 0 = no limit
	KeepEnv                bool          // S6_KEEP_ENV
	SyncDisks              bool          // S6_SYNC_DISKS

	ContInitDir, ServicesDir, ContFinishDir string
	PreferredRundir, TmpDir                 string
}

// FromEnv reads the configuration from the container environment. Bad values
// fall back to the default and are returned as warnings naming the variable.
func FromEnv(env contenv.Env) (Config, []string) {
	var warns []string
	num := func(name string, def, lo, hi int) int {
		s, ok := env.Get(name)
		if !ok || strings.TrimSpace(s) == "" {
			return def
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || (hi >= 0 && n > hi) {
			rng := fmt.Sprintf("a number from %d", lo)
			if hi >= 0 {
				rng += fmt.Sprintf(" to %d", hi)
			}
			warns = append(warns, fmt.Sprintf("%s=%q is not %s; using %d", name, s, rng, def))
			return def
		}
		return n
	}
	ms := func(name string, def int) time.Duration {
		return time.Duration(num(name, def, 0, -1)) * time.Millisecond
	}
	etc := "/etc"
	if v, ok := env.Get(EtcVar); ok && v != "" {
		etc = v
	}
	preferred := rundir.Default
	if v, ok := env.Get(rundir.EnvVar); ok && v != "" {
		preferred = v
	}
	tmp, _ := env.Get("TMPDIR")
	arg0, _ := env.Get("S6_CMD_ARG0")
	hook, _ := env.Get("S6_STAGE2_HOOK")
	c := Config{
		Verbosity:              num("S6_VERBOSITY", 2, 0, 5),
		Stage2Hook:             hook,
		BehaviourIfStage2Fails: num("S6_BEHAVIOUR_IF_STAGE2_FAILS", 0, 0, 2),
		CmdWaitForServices:     num("S6_CMD_WAIT_FOR_SERVICES", 0, 0, 1) == 1,
		CmdWaitMax:             ms("S6_CMD_WAIT_FOR_SERVICES_MAXTIME", 5000),
		CmdArg0:                strings.Fields(arg0),
		CmdReceiveSignals:      num("S6_CMD_RECEIVE_SIGNALS", 0, 0, 1) == 1,
		ServicesGrace:          ms("S6_SERVICES_GRACETIME", 3000),
		ServicesReady:          ms("S6_SERVICES_READYTIME", 50),
		KillGrace:              ms("S6_KILL_GRACETIME", 3000),
		KillFinishMax:          ms("S6_KILL_FINISH_MAXTIME", 0),
		KeepEnv:                num("S6_KEEP_ENV", 0, 0, 1) == 1,
		SyncDisks:              num("S6_SYNC_DISKS", 0, 0, 1) == 1,
		ContInitDir:            filepath.Join(etc, "cont-init.d"),
		ServicesDir:            filepath.Join(etc, "services.d"),
		ContFinishDir:          filepath.Join(etc, "cont-finish.d"),
		PreferredRundir:        preferred,
		TmpDir:                 tmp,
	}
	return c, warns
}
