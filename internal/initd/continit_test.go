package initd_test

import (
	"strings"
	"testing"
	"time"
)

func TestContInitOrderDotfilesAndCompletion(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	// Each script checks that the one before finished, then appends its name.
	for _, name := range []string{"A-upper", "10-b", "2-c", "00-a", "a-lower"} {
		b.sh("etc/cont-init.d/"+name, `sleep 0.05; echo `+name+` >> "$MARK/order"`)
	}
	b.sh("etc/cont-init.d/.hidden", `echo hidden >> "$MARK/order"`)
	b.sh("etc/cont-init.d/.01-early", `echo hidden >> "$MARK/order"`)
	r := b.runCmd(b.command("true"), 20*time.Second)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", r.code, r.out)
	}
	got := strings.Fields(b.mark("order"))
	want := []string{"00-a", "10-b", "2-c", "A-upper", "a-lower"} // ascending byte order
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cont-init order %v, want %v", got, want)
	}
}

func TestContInitFailureBehaviours(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		behaviour string
		wantCode  int
		cmdRuns   bool
		wantLog   []string
	}{
		{"0", 0, true, []string{"cont-init/20-noexec: error: ", "is not executable; fix: chmod +x", "cont-init/10-fail: exited 3"}},
		{"1", 0, true, []string{"cont-init/10-fail: warning: exited 3", "continuing because S6_BEHAVIOUR_IF_STAGE2_FAILS=1"}},
		{"2", 3, false, []string{"cont-init/10-fail: error: start-up failed with exit 3", "stopping the container because S6_BEHAVIOUR_IF_STAGE2_FAILS=2"}},
	} {
		t.Run("S6_BEHAVIOUR_IF_STAGE2_FAILS="+tc.behaviour, func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.setenv("S6_BEHAVIOUR_IF_STAGE2_FAILS=" + tc.behaviour)
			b.sh("etc/cont-init.d/10-fail", `exit 3`)
			b.write("etc/cont-init.d/20-noexec", "#!/bin/sh\necho ran >> \"$MARK/noexec\"\n", 0o644)
			b.sh("etc/cont-init.d/30-ok", `echo ran > "$MARK/ok"`)
			b.sh("etc/cont-finish.d/10-finish", `echo ran > "$MARK/finish"`)
			r := b.runCmd(b.command("sh", "-c", `echo ran > "$MARK/cmd"`), 20*time.Second)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d:\n%s", r.code, tc.wantCode, r.out)
			}
			if b.mark("ok") == "" {
				t.Errorf("the script after the failures did not run:\n%s", r.out)
			}
			if b.mark("noexec") != "" {
				t.Errorf("a non-executable script ran")
			}
			if got := b.mark("cmd") != ""; got != tc.cmdRuns {
				t.Errorf("CMD ran = %v, want %v:\n%s", got, tc.cmdRuns, r.out)
			}
			if b.mark("finish") == "" {
				t.Errorf("cont-finish did not run:\n%s", r.out)
			}
			mustContain(t, r.out, tc.wantLog...)
			if !strings.Contains(r.out, "20-noexec") || !strings.Contains(r.out, "exit 126") {
				t.Errorf("the non-executable script is not reported by name with 126:\n%s", r.out)
			}
		})
	}
}

func TestStage2HookRunsFirst(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv(`S6_STAGE2_HOOK=echo hook >> "$MARK/order"`)
	b.sh("etc/cont-init.d/10-a", `echo cont-init >> "$MARK/order"`)
	r := b.runCmd(b.command("true"), 20*time.Second)
	if got := strings.Fields(b.mark("order")); strings.Join(got, ",") != "hook,cont-init" {
		t.Errorf("order %v, want hook then cont-init:\n%s", got, r.out)
	}
}

func TestBadScriptsAreExplained(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.write("etc/cont-init.d/10-crlf", "#!/bin/sh\r\necho hi\r\n", 0o755)
	b.write("etc/cont-init.d/20-nointerp", "#!/nonexistent/bash\necho hi\n", 0o755)
	b.write("etc/cont-init.d/30-noexec", "#!/bin/sh\necho hi\n", 0o644)
	b.write("etc/cont-init.d/40-noshebang", "echo hi\n", 0o755)
	b.sh("etc/services.d/badfd/run", `echo up > "$MARK/up"; exec sleep 30`)
	b.write("etc/services.d/badfd/notification-fd", "three\n", 0o644)
	r := b.runCmd(b.command("sh", "-c", `while [ ! -f "$MARK/up" ]; do sleep 0.01; done`), 20*time.Second)
	mustContain(t, r.out,
		"10-crlf has Windows (CRLF) line endings", `"/bin/sh\r"`, `sed -i 's/\r$//'`,
		"the interpreter /nonexistent/bash named on the #! line of", "20-nointerp does not exist",
		"30-noexec is not executable; fix: chmod +x",
		"notification-fd holds \"three\", want one file descriptor number from 3 to 1023",
	)
	// A file without #! that is executable is run by nothing: the kernel says ENOEXEC.
	mustContain(t, r.out, "40-noshebang has no #! line")
}
