package engine

import (
	"strings"
	"testing"
)

func TestReadMessages(t *testing.T) {
	tests := []struct {
		name, stream, last, err string
	}{
		{"import", `{"status":"sha256:abc"}` + "\n", "sha256:abc", ""},
		{"build output", `{"stream":"Step 1/2 : FROM x\n"}{"stream":"\n"}{"stream":" ---> 123\n"}`, "---> 123", ""},
		{"error after output", `{"stream":"Step 2/2 : RUN false\n"}{"error":"exit code 1","errorDetail":{"message":"exit code 1"}}`, "", "exit code 1 (after: Step 2/2 : RUN false)"},
		{"error alone", `{"error":"tar refused"}`, "", "tar refused"},
		{"not json", `<html>`, "", "reading the engine's answer"},
		{"empty", ``, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last, err := ReadMessages(strings.NewReader(tt.stream))
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if last != tt.last {
				t.Errorf("last = %q, want %q", last, tt.last)
			}
		})
	}
}
