package frontproxy

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr string
	}{
		{
			name: "defaults",
			check: func(t *testing.T, c Config) {
				if c.Listen != ":8888" || c.Backend.String() != "http://127.0.0.1:8889" || c.Prefix != "" ||
					c.Mode != ModeGeneric || !c.Culling || c.WSFloor != 512 || c.WSWindow != 10*time.Second || c.AccessLog || !c.WaitBackend {
					t.Errorf("defaults: %+v", c)
				}
			},
		},
		{
			name: "environment",
			env: map[string]string{"NB_PREFIX": "/notebook/ns/nb/", "NBPROXY_BACKEND": ":9000",
				"NBPROXY_MODE": "RStudio", "NBPROXY_ACCESS_LOG": "1", "NBPROXY_WAIT_BACKEND": "false"},
			check: func(t *testing.T, c Config) {
				if c.Prefix != "/notebook/ns/nb" || c.Backend.Host != "127.0.0.1:9000" || c.Mode != ModeRStudio || !c.AccessLog || c.WaitBackend {
					t.Errorf("from env: %+v", c)
				}
			},
		},
		{
			name: "flags win over environment",
			args: []string{"-prefix", "notebook/x/y", "-backend", "http://localhost:1234", "-mode", "codeserver", "-listen", "127.0.0.1:0"},
			env:  map[string]string{"NB_PREFIX": "/other", "NBPROXY_MODE": "rstudio"},
			check: func(t *testing.T, c Config) {
				if c.Prefix != "/notebook/x/y" || c.Backend.Host != "localhost:1234" || c.Mode != ModeCodeServer || c.Listen != "127.0.0.1:0" {
					t.Errorf("flags: %+v", c)
				}
			},
		},
		{name: "root prefix", env: map[string]string{"NB_PREFIX": "/"}, check: func(t *testing.T, c Config) {
			if c.Prefix != "" {
				t.Errorf("prefix %q, want empty", c.Prefix)
			}
		}},
		{name: "bad mode", args: []string{"-mode", "jupyter"}, wantErr: "use codeserver, rstudio or generic"},
		{name: "bad backend scheme", args: []string{"-backend", "ftp://x:1"}, wantErr: "not http or https"},
		{name: "bad floor", env: map[string]string{"NBPROXY_WS_FLOOR": "-1"}, wantErr: "-ws-floor"},
		{name: "bad window", args: []string{"-ws-window", "0s"}, wantErr: "positive duration"},
		{name: "bad bool", args: []string{"-culling", "maybe"}, wantErr: "use true or false"},
		{name: "stray argument", args: []string{"code-server"}, wantErr: "takes flags only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseFlags(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
