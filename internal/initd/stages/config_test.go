package stages

import (
	"strings"
	"testing"
	"time"

	"github.com/nbkit/nbkit/internal/initd/contenv"
)

func TestFromEnv(t *testing.T) {
	c, warns := FromEnv(contenv.Env{})
	if len(warns) != 0 || c.Verbosity != 2 || c.ServicesGrace != 3*time.Second || c.KillGrace != 3*time.Second ||
		c.CmdWaitMax != 5*time.Second || c.KillFinishMax != 0 || c.ContInitDir != "/etc/cont-init.d" || c.PreferredRundir != "/run" {
		t.Errorf("defaults: %+v %v", c, warns)
	}
	c, warns = FromEnv(contenv.Env{
		"S6_VERBOSITY=5", "S6_BEHAVIOUR_IF_STAGE2_FAILS=2", "S6_CMD_WAIT_FOR_SERVICES=1",
		"S6_CMD_WAIT_FOR_SERVICES_MAXTIME=0", "S6_CMD_ARG0=tini --", "S6_KILL_GRACETIME=100",
		"S6_KEEP_ENV=1", "NBINIT_ETC=/opt/etc", "NBINIT_RUNDIR=/var/run/x",
	})
	if len(warns) != 0 || c.Verbosity != 5 || c.BehaviourIfStage2Fails != 2 || !c.CmdWaitForServices || c.CmdWaitMax != 0 ||
		strings.Join(c.CmdArg0, "|") != "tini|--" || c.KillGrace != 100*time.Millisecond || !c.KeepEnv ||
		c.ServicesDir != "/opt/etc/services.d" || c.PreferredRundir != "/var/run/x" {
		t.Errorf("set values: %+v %v", c, warns)
	}
	c, warns = FromEnv(contenv.Env{"S6_VERBOSITY=9", "S6_KILL_GRACETIME=soon", "S6_BEHAVIOUR_IF_STAGE2_FAILS=-1"})
	if c.Verbosity != 2 || c.KillGrace != 3*time.Second || c.BehaviourIfStage2Fails != 0 || len(warns) != 3 {
		t.Errorf("bad values fall back to defaults with a warning each: %+v %v", c, warns)
	}
	if !strings.Contains(strings.Join(warns, "\n"), `S6_KILL_GRACETIME="soon" is not a number from 0; using 3000`) {
		t.Errorf("warnings do not name the variable and the fix: %v", warns)
	}
}
