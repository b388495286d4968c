package engine

import (
	"os"
	"strings"
	"testing"
)

func TestRequireStatic(t *testing.T) {
	dynamic, err := os.ReadFile("/bin/ls")
	if err != nil {
		t.Skip("no /bin/ls to use as a dynamically linked executable")
	}
	if err := requireStatic(dynamic); err == nil || !strings.Contains(err.Error(), "CGO_ENABLED=0") {
		t.Errorf("dynamic /bin/ls: err = %v, want advice to rebuild with CGO_ENABLED=0", err)
	}
	if err := requireStatic([]byte("#!/bin/sh\n")); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("script: err = %v, want not a Linux executable", err)
	}
}
