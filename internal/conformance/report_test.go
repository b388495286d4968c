package conformance

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbkit/nbkit/internal/golden"
)

// sampleReports cover every status, a broken image and measurements.
func sampleReports() []Report {
	return []Report{
		{Image: "nbkit/jupyter:latest", Driver: "docker", Profile: "kubeflow", IDE: "jupyter", Duration: 14200 * time.Millisecond, Results: []Result{
			{ID: CheckUser, Level: LevelFail, Status: StatusPass, Duration: 2 * time.Millisecond, Message: "USER 1000 is jovyan uid 1000, home /home/jovyan, primary group 0 (root)", Data: map[string]string{"uid": "1000", "gid": "0"}},
			{ID: CheckPort, Level: LevelFail, Status: StatusPass, Duration: 3100 * time.Millisecond, Message: "HTTP 302 on 127.0.0.1:8888 after 3.1s", Data: map[string]string{"ready_seconds": "3.10"}},
			{ID: CheckIframe, Level: LevelFail, Status: StatusFail, Duration: 12 * time.Millisecond, Message: "/notebook/a/b/ sends X-Frame-Options: DENY, so the Kubeflow dashboard shows an empty frame; drop the header or send SAMEORIGIN"},
			{ID: CheckCulling, Level: LevelFail, Status: StatusSkip, Message: "not evaluated: prefix did not pass"},
			{ID: CheckRandomUID, Level: LevelWarn, Status: StatusWarn, Duration: 4 * time.Second, Message: "as uid 1000680000 with gid 0 <crashed> & more"},
			{ID: CheckReadonlyRoot, Level: LevelInfo, Status: StatusInfo, Duration: 2 * time.Second, Message: "with a read-only root filesystem it crashed"},
			{ID: CheckPip, Level: LevelWarn, Status: StatusError, Message: "reading the pip probe's answer: EOF"},
		}},
		{Image: "missing:tag", Driver: "docker", Profile: "kubeflow", Err: errors.New("image not found: missing:tag is not in the engine's image store")},
	}
}

func TestReportGolden(t *testing.T) {
	writers := map[string]func(*bytes.Buffer) error{
		"report.txt":  func(b *bytes.Buffer) error { return WriteText(b, sampleReports()) },
		"report.json": func(b *bytes.Buffer) error { return WriteJSON(b, sampleReports()) },
		"report.xml":  func(b *bytes.Buffer) error { return WriteJUnit(b, sampleReports()) },
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := write(&got); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("golden", name), got.Bytes())
		})
	}
}
