package imagelint

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	urlRE     = regexp.MustCompile(`https?://[^\s"'\\)]+`)
	sha256RE  = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	versionRE = regexp.MustCompile(`\d+\.\d+|\$\{?[A-Z0-9_]*VERSION\}?`)
	shaVarRE  = regexp.MustCompile(`\$\{?([A-Z0-9_]*SHA256)\}?`)
	// Spellings vendors use for the two architectures in file names.
	archMarkers = map[string][]string{
		"amd64": {"x86_64", "amd64", "x64"},
		"arm64": {"aarch64", "arm64"},
	}
)

// checkDownloads enforces the vendor-download rule: every URL fetched while
// building is pinned by version and sha256, the checksum is verified, and
// an architecture-specific file exists for every platform of the image.
func checkDownloads(f files, name string, ins []Instruction) []Finding {
	file := f.Rel + "/" + name
	var out []Finding
	add := func(line int, rule, format string, args ...any) {
		out = append(out, Finding{Image: f.Image, File: file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	args := declaredArgs(ins)
	for _, in := range ins {
		switch in.Cmd {
		case "add":
			for _, a := range in.Args {
				if urlRE.MatchString(a) {
					add(in.Line, RulePin, "ADD %s: the old BuildKit of Docker 20.10 cannot verify ADD checksums; download in a RUN with nbkit-fetch URL SHA256 DEST", a)
				}
			}
		case "run":
			checkRunDownloads(f, in, args, add)
		}
	}
	return out
}

func checkRunDownloads(f files, in Instruction, args map[string]string, add func(int, string, string, ...any)) {
	if !urlRE.MatchString(in.Text) {
		return
	}
	// A case arm (ending in ;;) is the unit that pairs a URL with its
	// checksum; outside a case statement the whole RUN is one unit.
	covered := map[string]bool{}
	for _, seg := range strings.Split(in.Text, ";;") {
		urls := urlRE.FindAllString(seg, -1)
		if len(urls) == 0 {
			continue
		}
		for _, u := range urls {
			if !versionRE.MatchString(u) || strings.Contains(u, "/latest/") {
				add(in.Line, RuleVersion, "%s has no version in it; pin a release (e.g. .../1.2.3/...), never latest", u)
			}
			for arch, marks := range archMarkers {
				for _, m := range marks {
					if strings.Contains(u, m) {
						covered[arch] = true
					}
				}
			}
		}
		shas := sha256RE.FindAllString(seg, -1)
		if len(shas) >= len(urls) {
			continue
		}
		if m := shaVarRE.FindStringSubmatch(seg); m != nil {
			if _, declared := args[m[1]]; declared {
				add(in.Line, RuleUnverified, "%s is verified against the build argument %s, not a checksum in the Dockerfile; pin the vendor's published sha256 here when there is one", urls[0], m[1])
				continue
			}
		}
		add(in.Line, RulePin, "%s has no sha256 next to it; write the vendor's published sha256 in the same line or case arm and download with nbkit-fetch URL SHA256 DEST", strings.Join(urls, ", "))
	}
	if !strings.Contains(in.Text, "nbkit-fetch") && !strings.Contains(in.Text, "sha256sum") {
		add(in.Line, RulePin, "this RUN downloads without verifying: use nbkit-fetch URL SHA256 DEST (or sha256sum -c)")
	}
	if len(covered) > 0 {
		for _, p := range f.Platforms {
			arch := strings.TrimPrefix(p, "linux/")
			if !covered[arch] {
				add(in.Line, RuleArch, "image.yaml lists %s but this RUN pins no %s file; add a case \"${TARGETARCH}\" arm with its URL and sha256, or drop the platform", p, arch)
			}
		}
	}
}

// declaredArgs maps every ARG name to its default ("" when none).
func declaredArgs(ins []Instruction) map[string]string {
	m := map[string]string{}
	for _, in := range ins {
		if in.Cmd != "arg" {
			continue
		}
		for _, a := range in.Args {
			k, v, _ := strings.Cut(a, "=")
			m[k] = v
		}
	}
	return m
}
