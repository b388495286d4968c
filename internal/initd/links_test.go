package initd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// install-links makes the helper names in each folder, replacing files
// already there, and a script with the s6-overlay shebang runs through them.
func TestInstallLinks(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	command := filepath.Join(b.root, "command")
	usrbin := filepath.Join(b.root, "usr", "bin")
	b.write("usr/bin/halt", "#!/bin/sh\necho old halt\n", 0)
	r := b.runCmd(b.command("install-links", command, usrbin), 10*time.Second)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.out)
	}
	for _, dir := range []string{command, usrbin} {
		for _, n := range []string{"halt", "printcontenv", "s6-applyuidgid", "s6-envdir", "s6-envuidgid", "s6-setuidgid", "with-contenv"} {
			target, err := os.Readlink(filepath.Join(dir, n))
			if err != nil || target != testBin {
				t.Errorf("%s/%s -> %q (%v), want a link to %s", dir, n, target, err, testBin)
			}
		}
	}
	b.write("etc/cont-init.d/10-shebang", "#!"+command+"/with-contenv sh\necho \"$GREETING\" > \"$MARK/greeting\"\n", 0)
	b.setenv("GREETING=hi")
	r = b.runCmd(b.command("true"), 10*time.Second)
	if got := strings.TrimSpace(b.mark("greeting")); got != "hi" {
		t.Errorf("#!%s/with-contenv sh script saw GREETING=%q:\n%s", command, got, r.out)
	}
}
