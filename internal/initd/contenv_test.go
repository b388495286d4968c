package initd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// with-contenv gives scripts the container environment exactly: empty
// values stay set, multi-line values over 4 KiB stay whole, variables a
// cont-init script adds or removes show in later scripts, services and the CMD.
func TestWithContenvEdgeCases(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	big := strings.Repeat("a line of text that repeats\n", 300) + "end" // ~8 KiB, no final newline
	b.setenv("EMPTY=", "BIG="+big, "TRAILING=ends with newline\n", "DROPME=x", "S6_KEEP_ENV=0")
	b.withContenv("etc/cont-init.d/10-write", `
env_dir="$NBINIT_RUNDIR/s6/container_environment"
printf 'added' > "$env_dir/ADDED"
: > "$env_dir/DROPME"           # empty file: unset
printf '\n' > "$env_dir/BLANK"  # lone newline: set and empty`)
	b.withContenv("etc/cont-init.d/20-read", `
printf %s "$BIG" > "$MARK/big"
printf %s "$TRAILING" > "$MARK/trailing"
echo "EMPTY=${EMPTY-unset} BLANK=${BLANK-unset} DROPME=${DROPME-unset} ADDED=${ADDED-unset} NOTCONT=${NOTCONT-unset}" > "$MARK/vars"`)
	r := b.runCmd(b.command("sh", "-c", `echo "$ADDED ${DROPME-unset}" > "$MARK/cmd"`), 20*time.Second)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.out)
	}
	if got := b.mark("big"); got != big {
		t.Errorf("BIG came through as %d bytes, want %d", len(got), len(big))
	}
	if got := b.mark("trailing"); got != "ends with newline\n" {
		t.Errorf("TRAILING = %q, want its trailing newline kept", got)
	}
	if got, want := strings.TrimSpace(b.mark("vars")), "EMPTY= BLANK= DROPME=unset ADDED=added NOTCONT=unset"; got != want {
		t.Errorf("with-contenv saw %q, want %q", got, want)
	}
	if got := strings.TrimSpace(b.mark("cmd")); got != "added unset" {
		t.Errorf("CMD saw %q, want the folder's variables", got)
	}
	// The folder holds values as they are (a newline only where -f needs one).
	env := filepath.Join(b.run, "s6", "container_environment")
	for name, want := range map[string]string{"EMPTY": "\n", "BIG": big, "TRAILING": "ends with newline\n\n"} {
		if data, _ := os.ReadFile(filepath.Join(env, name)); string(data) != want {
			t.Errorf("%s file holds %q, want %q", name, trunc(string(data)), trunc(want))
		}
	}
}

func TestWithContenvDropsOtherVariablesUnlessKeepEnv(t *testing.T) {
	t.Parallel()
	for _, keep := range []string{"0", "1"} {
		t.Run("S6_KEEP_ENV="+keep, func(t *testing.T) {
			t.Parallel()
			b := newBox(t)
			b.setenv("S6_KEEP_ENV=" + keep)
			// A service sets a variable of its own, then runs a with-contenv script.
			b.withContenv("work/show", `echo "${LOCAL-unset}" > "$MARK/local"`)
			r := b.runCmd(b.command("sh", "-c", "LOCAL=mine "+b.root+"/work/show"), 20*time.Second)
			want := map[string]string{"0": "unset", "1": "mine"}[keep]
			if got := strings.TrimSpace(b.mark("local")); got != want {
				t.Errorf("with-contenv passed LOCAL=%q, want %q:\n%s", got, want, r.out)
			}
		})
	}
}

// The kernel passes everything after the interpreter on a #! line as one
// argument; with-contenv splits it so `#!/command/with-contenv sh -e` works.
func TestWithContenvShebangWithOptions(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("GREETING=hi")
	b.write("etc/cont-init.d/10-opts", "#!"+b.bin+"/with-contenv sh -e\necho \"$GREETING\" > \"$MARK/greeting\"\nfalse\necho not-reached >> \"$MARK/greeting\"\n", 0)
	r := b.runCmd(b.command("true"), 10*time.Second)
	if got := b.mark("greeting"); got != "hi\n" {
		t.Errorf("script with `sh -e` wrote %q, want %q:\n%s", got, "hi\n", r.out)
	}
}

func TestPrintcontenvAndEnvdir(t *testing.T) {
	t.Parallel()
	b := newBox(t)
	b.setenv("GREETING=hello world")
	dir := filepath.Join(b.root, "envdir")
	b.write("envdir/FIRST", "first line  \nsecond line\n", 0o644)
	b.write("envdir/GONE", "", 0o644)
	b.write("envdir/.hidden", "x", 0o644)
	b.write("envdir/LONG", strings.Repeat("x", 5000), 0o644)
	script := `printcontenv GREETING > "$MARK/print"; printcontenv NOPE; echo $? >> "$MARK/print"
GONE=present s6-envdir ` + dir + ` sh -c 'printf "%s|%s|%s|%s" "$FIRST" "${GONE-unset}" "${#LONG}" "${hidden-unset}"' > "$MARK/envdir"
s6-envdir -fn ` + dir + ` sh -c 'printf %s "$FIRST"' > "$MARK/envdir-f"
s6-envdir -L ` + dir + ` sh -c 'printf %s "${#LONG}"' > "$MARK/envdir-L"
s6-envdir /nonexistent true 2> "$MARK/envdir-missing"; echo $? >> "$MARK/envdir-missing"
s6-envdir -I /nonexistent sh -c 'echo loose' >> "$MARK/envdir-missing"`
	r := b.runCmd(b.command("sh", "-c", script), 20*time.Second)
	for name, want := range map[string]string{
		"print":  "hello world\n1\n",
		"envdir": "first line|unset|4096|unset",
		// -f keeps every line, -n the final newline
		"envdir-f": "first line  \nsecond line\n",
		"envdir-L": "5000",
	} {
		if got := b.mark(name); got != want {
			t.Errorf("%s: got %q, want %q\n%s", name, got, want, r.out)
		}
	}
	mustContain(t, b.mark("envdir-missing"), "/nonexistent", "111\n", "loose\n")
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
