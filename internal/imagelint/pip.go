package imagelint

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/nbkit/nbkit/internal/catalog"
)

var (
	pipInstallRE = regexp.MustCompile(`\bpip3?\s+install\b`)
	pinnedReqRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-]*(\[[A-Za-z0-9,._\-]+\])?==[^\s;=]+`)
	// pip options that take a value, so the value is not a requirement.
	pipValueFlags = map[string]bool{
		"-r": true, "--requirement": true, "-c": true, "--constraint": true,
		"-i": true, "--index-url": true, "--extra-index-url": true,
		"-f": true, "--find-links": true, "-t": true, "--target": true,
		"--prefix": true, "--root": true, "--cache-dir": true,
		"--timeout": true, "--retries": true, "--platform": true,
	}
)

// checkPip: every pip install in a Dockerfile names exact versions (or a
// verified local wheel), never --user (that writes into the PVC home), and
// uses another index only together with --require-hashes.
func checkPip(f files, name string, ins []Instruction) []Finding {
	file := f.Rel + "/" + name
	var out []Finding
	add := func(line int, format string, args ...any) {
		out = append(out, Finding{Image: f.Image, File: file, Line: line, Rule: RulePip, Msg: fmt.Sprintf(format, args...)})
	}
	for _, in := range ins {
		if in.Cmd != "run" {
			continue
		}
		for _, loc := range pipInstallRE.FindAllStringIndex(in.Text, -1) {
			cmd := in.Text[loc[1]:]
			if i := strings.IndexAny(cmd, "&;|"); i >= 0 {
				cmd = cmd[:i]
			}
			toks := strings.Fields(cmd)
			hashes := strings.Contains(cmd, "--require-hashes")
			for i := 0; i < len(toks); i++ {
				t := strings.Trim(toks[i], `"'`)
				switch {
				case t == "--user":
					add(in.Line, "pip install --user writes into the home, which is the user's PVC at run time; install into /opt/venv (plain pip install)")
				case t == "-i" || t == "--index-url" || t == "--extra-index-url":
					if !hashes {
						add(in.Line, "pip install %s without --require-hashes: packages from that index are not verified; download the wheels with nbkit-fetch instead, or add --require-hashes with a hashed requirements file", t)
					}
					i++
				case t == "-r" || t == "--requirement":
					if i+1 < len(toks) {
						out = append(out, checkRequirements(f, file, in, strings.Trim(toks[i+1], `"'`))...)
					}
					i++
				case pipValueFlags[t]:
					i++
				case strings.HasPrefix(t, "-"):
				case strings.HasPrefix(t, "$") || strings.HasPrefix(t, "/") || strings.HasPrefix(t, "./"):
					// a local wheel, fetched and verified earlier in the RUN
				case !pinnedReqRE.MatchString(t):
					add(in.Line, "pip install %s is not pinned; write %s==VERSION", t, t)
				}
			}
		}
	}
	return out
}

// checkRequirements resolves a -r path through the RUN's bind mounts (or a
// file of the same name) to a file of the folder, or of a shared folder the
// build context holds at _include/<name>/, and checks each line.
func checkRequirements(f files, file string, in Instruction, path string) []Finding {
	src := ""
	for _, f := range in.Flags {
		if !strings.HasPrefix(f, "--mount=") || !strings.Contains(f, "type=bind") {
			continue
		}
		kv := map[string]string{}
		for _, part := range strings.Split(strings.TrimPrefix(f, "--mount="), ",") {
			k, v, _ := strings.Cut(part, "=")
			kv[k] = v
		}
		if kv["target"] == path || kv["dst"] == path || kv["destination"] == path {
			src = kv["source"]
			if src == "" {
				src = kv["src"]
			}
		}
	}
	if src == "" {
		src = filepath.Base(path)
	}
	rel, disk := f.Rel+"/"+src, filepath.Join(f.Dir, src)
	if strings.HasPrefix(src, catalog.IncludeDir+"/") {
		rel, disk = src, filepath.Join(filepath.Dir(f.Dir), src)
	}
	raw, err := os.ReadFile(disk)
	if err != nil {
		return []Finding{{Image: f.Image, File: file, Line: in.Line, Rule: RulePip, Msg: fmt.Sprintf("pip install -r %s: cannot read %s to check its pins; bind-mount it from the folder (--mount=type=bind,source=FILE,target=%s)", path, rel, path)}}
	}
	var out []Finding
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "-") {
			if strings.HasPrefix(line, "--user") || strings.HasPrefix(line, "-i") || strings.Contains(line, "index-url") {
				out = append(out, Finding{Image: f.Image, File: rel, Line: n, Rule: RulePip, Msg: fmt.Sprintf("option %q is not allowed in a requirements file here; keep indexes and --user out", line)})
			}
			continue
		}
		if !pinnedReqRE.MatchString(line) {
			out = append(out, Finding{Image: f.Image, File: rel, Line: n, Rule: RulePip, Msg: fmt.Sprintf("%q is not pinned; write NAME==VERSION", line)})
		}
	}
	return out
}
