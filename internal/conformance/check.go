package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// ID names a check; IDs are stable: users put them in --only/--skip and CI
// systems key test cases on them.
type ID string

// The checks of the contract, in report order.
const (
	CheckUser         ID = "user"
	CheckPort         ID = "port"
	CheckPrefix       ID = "prefix"
	CheckCORS         ID = "cors"
	CheckIframe       ID = "iframe"
	CheckNonroot      ID = "nonroot"
	CheckEmptyHome    ID = "empty-home"
	CheckRestart      ID = "restart"
	CheckStop         ID = "stop"
	CheckNoAuth       ID = "no-auth"
	CheckWebsocket    ID = "websocket"
	CheckCulling      ID = "culling"
	CheckRandomUID    ID = "random-uid"
	CheckRestricted   ID = "restricted"
	CheckReadonlyRoot ID = "readonly-root"
	CheckPip          ID = "pip"
	CheckInitFiles    ID = "init-files"
)

// Level is how much a violated check matters: a fail-level violation makes
// nbkit check exit 1, warn and info are reported only.
type Level string

const (
	LevelFail Level = "fail"
	LevelWarn Level = "warn"
	LevelInfo Level = "info"
)

// Spec describes a check for reports, docs and the profile table.
type Spec struct {
	ID    ID
	Level Level // in the kubeflow profile
	Title string
	// Needs lists checks whose failure makes this one meaningless; it is then
	// reported as skipped, naming the cause, instead of failing a second time.
	Needs []ID
}

// Specs lists every check in report order.
var Specs = []Spec{
	{ID: CheckUser, Level: LevelFail, Title: "default user is jovyan, uid 1000, home /home/jovyan"},
	{ID: CheckPort, Level: LevelFail, Title: "HTTP answers on port 8888 within the start timeout"},
	{ID: CheckPrefix, Level: LevelFail, Title: "the server answers under a random NB_PREFIX", Needs: []ID{CheckPort}},
	{ID: CheckCORS, Level: LevelFail, Title: "Access-Control-Allow-Origin on responses under the prefix", Needs: []ID{CheckPort}},
	{ID: CheckIframe, Level: LevelFail, Title: "the dashboard may embed the notebook in an iframe", Needs: []ID{CheckPort}},
	{ID: CheckNonroot, Level: LevelFail, Title: "no process runs as root"},
	{ID: CheckEmptyHome, Level: LevelFail, Title: "starts on an empty home volume (fsGroup 100) and can write to it"},
	{ID: CheckRestart, Level: LevelFail, Title: "home files survive stop + start; user edits are kept", Needs: []ID{CheckPort, CheckEmptyHome}},
	{ID: CheckStop, Level: LevelFail, Title: "SIGTERM stops the container within 10 s, exit 0 or 143"},
	{ID: CheckNoAuth, Level: LevelFail, Title: "no token or password in front of the notebook", Needs: []ID{CheckPort}},
	{ID: CheckWebsocket, Level: LevelFail, Title: "websockets work under the prefix (Jupyter: a kernel runs 1+1)", Needs: []ID{CheckPort, CheckPrefix, CheckNoAuth}},
	{ID: CheckCulling, Level: LevelWarn, Title: "culling endpoints /api/kernels and /api/status answer", Needs: []ID{CheckPort, CheckPrefix, CheckNoAuth}},
	{ID: CheckRandomUID, Level: LevelWarn, Title: "ready as a random UID with gid 0 (OpenShift)", Needs: []ID{CheckPort}},
	{ID: CheckRestricted, Level: LevelWarn, Title: "ready with cap-drop ALL and no-new-privileges", Needs: []ID{CheckPort}},
	{ID: CheckReadonlyRoot, Level: LevelInfo, Title: "ready with a read-only root filesystem", Needs: []ID{CheckPort}},
	{ID: CheckPip, Level: LevelWarn, Title: "pip install targets an image path, not the home volume"},
	{ID: CheckInitFiles, Level: LevelWarn, Title: "start-up scripts are executable by the runtime user"},
}

// SpecOf returns the spec of id.
func SpecOf(id ID) (Spec, bool) {
	i := slices.IndexFunc(Specs, func(s Spec) bool { return s.ID == id })
	if i < 0 {
		return Spec{}, false
	}
	return Specs[i], true
}

// ParseIDs reads a comma-separated --only/--skip value.
func ParseIDs(flagName, list string) ([]ID, error) {
	var ids []ID
	for f := range strings.SplitSeq(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if _, ok := SpecOf(ID(f)); !ok {
			return nil, fmt.Errorf("%s: unknown check %q; known checks: %s", flagName, f, strings.Join(allIDs(), ", "))
		}
		ids = append(ids, ID(f))
	}
	return ids, nil
}

func allIDs() []string {
	out := make([]string, len(Specs))
	for i, s := range Specs {
		out[i] = string(s.ID)
	}
	return out
}
