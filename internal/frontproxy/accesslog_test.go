package frontproxy

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAccessLogOnlyWhenAsked(t *testing.T) {
	be := httptest.NewServer(echoPath())
	t.Cleanup(be.Close)
	u, _ := url.Parse(be.URL)
	for _, on := range []bool{false, true} {
		var buf bytes.Buffer
		p := New(Config{Backend: u, Prefix: testPrefix, Mode: ModeGeneric, Culling: true, WSWindow: time.Second, AccessLog: on},
			slog.New(slog.NewTextHandler(&buf, nil)))
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, testPrefix+"/files/a?x=1", nil))
		logged := buf.String()
		if !on && logged != "" {
			t.Errorf("logged without -access-log: %q", logged)
		}
		if on && !(strings.Contains(logged, `path="`+testPrefix+`/files/a?x=1"`) && strings.Contains(logged, "status=200")) {
			t.Errorf("access log %q lacks the path and status", logged)
		}
	}
}
