package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// scripted is a Driver that reports fixed outcomes, for the runner's own
// logic: levels, dependencies, selection, parallelism.
type scripted struct {
	ide      IDE
	outcomes map[ID]Outcome
	err      error
	delay    time.Duration
	running  atomic.Int32
	peak     atomic.Int32
}

func (s *scripted) Name() string { return "scripted" }

func (s *scripted) Check(ctx context.Context, image string, p *Plan) error {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for {
		old := s.peak.Load()
		if n <= old || s.peak.CompareAndSwap(old, n) {
			break
		}
	}
	time.Sleep(s.delay)
	p.setIDE(s.ide)
	for _, spec := range Specs {
		if o, ok := s.outcomes[spec.ID]; ok {
			p.run(spec.ID, func() Outcome { return o })
		}
	}
	return s.err
}

func statuses(r Report) map[ID]Status {
	m := map[ID]Status{}
	for _, res := range r.Results {
		m[res.ID] = res.Status
	}
	return m
}

func TestRunLevelsAndDependencies(t *testing.T) {
	d := &scripted{ide: IDEJupyter, outcomes: map[ID]Outcome{
		CheckUser:         pass("ok"),
		CheckPort:         pass("ok"),
		CheckPrefix:       violation("404"),
		CheckCORS:         pass("ok"),
		CheckWebsocket:    pass("never run: prefix failed"),
		CheckCulling:      violation("never run: prefix failed"),
		CheckRandomUID:    violation("crashed"),
		CheckReadonlyRoot: violation("read-only"),
		CheckPip:          advisory("odd"),
		CheckInitFiles:    broken(errors.New("engine went away")),
	}}
	tests := []struct {
		profile string
		want    map[ID]Status
	}{
		{"kubeflow", map[ID]Status{CheckUser: StatusPass, CheckPrefix: StatusFail, CheckWebsocket: StatusSkip, CheckCulling: StatusSkip,
			CheckRandomUID: StatusWarn, CheckReadonlyRoot: StatusInfo, CheckPip: StatusWarn, CheckInitFiles: StatusError, CheckStop: StatusSkip}},
		{"openshift", map[ID]Status{CheckRandomUID: StatusFail, CheckReadonlyRoot: StatusInfo}},
		{"restricted", map[ID]Status{CheckRandomUID: StatusWarn, CheckReadonlyRoot: StatusFail}},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			r := Run(t.Context(), d, []string{"img"}, Options{Profile: Profiles[tt.profile]})[0]
			got := statuses(r)
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("%s: %s, want %s", id, got[id], want)
				}
			}
			if len(r.Results) != len(Specs) {
				t.Errorf("%d results, want one per check (%d)", len(r.Results), len(Specs))
			}
			if res, _ := r.Result(CheckWebsocket); res.Message != "not evaluated: prefix did not pass" {
				t.Errorf("websocket skip message %q", res.Message)
			}
		})
	}
}

func TestNotApplicableDoesNotBlock(t *testing.T) {
	d := &scripted{outcomes: map[ID]Outcome{CheckPort: notApplicable("no IDE"), CheckRandomUID: pass("ok"), CheckPrefix: notApplicable("no IDE")}}
	r := Run(t.Context(), d, []string{"img"}, Options{Only: []ID{CheckPort, CheckPrefix, CheckRandomUID}})[0]
	want := map[ID]Status{CheckPort: StatusSkip, CheckPrefix: StatusSkip, CheckRandomUID: StatusPass}
	if got := statuses(r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %v, want %v (a not-applicable port must not block random-uid)", got, want)
	}
}

func TestAdvisoryAndLocalViolationsDoNotBlock(t *testing.T) {
	local := violation("listens on loopback only")
	local.local = true
	for name, port := range map[string]Outcome{"advisory": advisory("no EXPOSE"), "local": local} {
		d := &scripted{outcomes: map[ID]Outcome{CheckPort: port, CheckCORS: pass("ok")}}
		r := Run(t.Context(), d, []string{"img"}, Options{Only: []ID{CheckPort, CheckCORS}})[0]
		if got := statuses(r)[CheckCORS]; got != StatusPass {
			t.Errorf("%s port: cors %s, want pass (not blocked)", name, got)
		}
	}
}

func TestCullingFailsForJupyterOnly(t *testing.T) {
	for ide, want := range map[IDE]Status{IDEJupyter: StatusFail, IDECodeServer: StatusWarn, IDEUnknown: StatusWarn} {
		d := &scripted{ide: ide, outcomes: map[ID]Outcome{CheckCulling: violation("no /api/status")}}
		r := Run(t.Context(), d, []string{"img"}, Options{Only: []ID{CheckCulling}})[0]
		if got := statuses(r)[CheckCulling]; got != want {
			t.Errorf("%q: culling %s, want %s", ide, got, want)
		}
	}
}

func TestRunSelection(t *testing.T) {
	d := &scripted{outcomes: map[ID]Outcome{CheckUser: pass("ok"), CheckPort: violation("no"), CheckPrefix: pass("ok")}}
	r := Run(t.Context(), d, []string{"img"}, Options{Only: []ID{CheckUser, CheckPrefix, CheckCORS}, Skip: []ID{CheckUser}})[0]
	got := statuses(r)
	// prefix needs port, but port was not selected: prefix runs.
	want := map[ID]Status{CheckPrefix: StatusPass, CheckCORS: StatusSkip}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %v, want %v", got, want)
	}
}

func TestRunParallelBound(t *testing.T) {
	d := &scripted{outcomes: map[ID]Outcome{CheckUser: pass("ok")}, delay: 50 * time.Millisecond}
	images := []string{"a", "b", "c", "d", "e", "f"}
	reports := Run(t.Context(), d, images, Options{Parallel: 2})
	if p := d.peak.Load(); p != 2 {
		t.Errorf("peak concurrency %d, want 2", p)
	}
	for i, r := range reports {
		if r.Image != images[i] {
			t.Errorf("report %d is %s, want %s (order kept)", i, r.Image, images[i])
		}
	}
}

func TestExitCode(t *testing.T) {
	pass := Report{Results: []Result{{Status: StatusPass}, {Status: StatusWarn}}}
	fail := Report{Results: []Result{{Status: StatusFail}}}
	broken := Report{Err: ErrImageMissing}
	tests := []struct {
		reports []Report
		want    int
	}{
		{[]Report{pass}, 0},
		{[]Report{pass, fail}, 1},
		{[]Report{fail, broken}, 2},
		{[]Report{{Results: []Result{{Status: StatusError}}}}, 2},
	}
	for i, tt := range tests {
		if got := ExitCode(tt.reports); got != tt.want {
			t.Errorf("case %d: exit %d, want %d", i, got, tt.want)
		}
	}
}

func TestIDEFromLabels(t *testing.T) {
	tests := map[string]IDE{"jupyterlab": IDEJupyter, "code-server": IDECodeServer, "rstudio": IDERStudio, "none": IDENone, "": IDEUnknown, "theia": "theia"}
	for v, want := range tests {
		if got := ideFromLabels(map[string]string{LabelIDE: v}); got != want {
			t.Errorf("%s=%q: %q, want %q", LabelIDE, v, got, want)
		}
	}
	if got := ideFromLabels(map[string]string{LabelServerType: "jupyter"}); got != IDEJupyter {
		t.Errorf("%s=jupyter: %q", LabelServerType, got)
	}
}
