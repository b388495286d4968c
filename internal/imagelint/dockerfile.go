package imagelint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/nbkit/nbkit/internal/catalog"
)

// Instruction is one parsed Dockerfile instruction.
type Instruction struct {
	Cmd   string   // lowercase: run, from, arg, copy, ...
	Args  []string // the parser's argument chain
	Flags []string // --mount=..., --chown=..., ...
	Text  string   // the instruction as written, continuations joined
	Line  int
}

// ParseDockerfile parses path with BuildKit's own Dockerfile parser, the one
// `nbkit build` hands the file to.
func ParseDockerfile(path string) ([]Instruction, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading Dockerfile: %w", err)
	}
	res, err := parser.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	out := make([]Instruction, 0, len(res.AST.Children))
	for _, n := range res.AST.Children {
		in := Instruction{Cmd: strings.ToLower(n.Value), Flags: n.Flags, Text: n.Original, Line: n.StartLine}
		for a := n.Next; a != nil; a = a.Next {
			in.Args = append(in.Args, a.Value)
		}
		out = append(out, in)
	}
	return out, nil
}

// checkDockerfile applies the structural rules: BASE_IMG, final USER, rootfs.
func checkDockerfile(img *catalog.Image, ins []Instruction) []Finding {
	file := img.Name + "/Dockerfile"
	var out []Finding
	add := func(line int, rule, format string, args ...any) {
		out = append(out, Finding{Image: img.Name, File: file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}

	// ARG BASE_IMG before the first FROM, and every FROM is $BASE_IMG or an
	// earlier stage: the builder passes the parent's exact reference, so no
	// image may hard-code a registry or a tag.
	var baseArg *Instruction
	stages := map[string]bool{}
	sawFrom := false
	for i := range ins {
		in := &ins[i]
		switch in.Cmd {
		case "arg":
			if !sawFrom && len(in.Args) > 0 && strings.SplitN(in.Args[0], "=", 2)[0] == "BASE_IMG" {
				baseArg = in
			}
		case "from":
			if len(in.Args) == 0 {
				continue
			}
			ref := in.Args[0]
			if ref != "$BASE_IMG" && ref != "${BASE_IMG}" && !stages[ref] {
				add(in.Line, RuleBaseImg, "FROM %s: take the parent from the build argument instead (ARG BASE_IMG, then FROM $BASE_IMG); nbkit build passes the parent's exact reference", ref)
			}
			if len(in.Args) == 3 && strings.EqualFold(in.Args[1], "as") {
				stages[in.Args[2]] = true
			}
			sawFrom = true
		}
	}
	if !sawFrom {
		add(0, RuleBaseImg, "no FROM instruction; start with ARG BASE_IMG and FROM $BASE_IMG")
	}
	switch {
	case baseArg == nil:
		add(0, RuleBaseImg, "no ARG BASE_IMG before the first FROM; add it as the first line")
	case img.From != "":
		if want := "BASE_IMG=" + img.From; baseArg.Args[0] != want {
			add(baseArg.Line, RuleBaseImg, "root image: write ARG %s, matching from: in image.yaml", want)
		}
	case strings.Contains(baseArg.Args[0], "="):
		add(baseArg.Line, RuleBaseImg, "ARG BASE_IMG has a default (%s); a child takes its parent only from the builder, so drop the default", baseArg.Args[0])
	}

	// The image must leave the notebook user in charge: Kubeflow runs it as
	// uid 1000, and a root default user breaks `docker run` parity.
	lastUser := ""
	lastLine := 0
	for _, in := range ins {
		if in.Cmd == "user" && len(in.Args) > 0 {
			lastUser, lastLine = in.Args[0], in.Line
		}
	}
	switch lastUser {
	case "${NB_UID}", "$NB_UID", "1000", "":
		if lastUser == "" && img.From != "" {
			add(0, RuleUser, "root image sets no USER; end with USER ${NB_UID}")
		}
	default:
		add(lastLine, RuleUser, "the last USER is %s; switch back to the notebook user at the end (USER ${NB_UID})", lastUser)
	}

	// The root image carries nbinit, which the builder stages per architecture.
	if slices.Contains(img.Binaries, "nbinit") {
		copied, entry := false, false
		for _, in := range ins {
			if in.Cmd == "copy" && len(in.Args) == 2 && in.Args[0] == "_nbkit/nbinit-${TARGETARCH}" && in.Args[1] == "/init" {
				copied = true
			}
			if in.Cmd == "entrypoint" && len(in.Args) > 0 && in.Args[0] == "/init" {
				entry = true
			}
		}
		if !copied {
			add(0, RuleNBInit, "image.yaml lists nbinit under binaries but the Dockerfile never copies it; add ARG TARGETARCH and COPY _nbkit/nbinit-${TARGETARCH} /init")
		}
		if !entry {
			add(0, RuleNBInit, "image.yaml lists nbinit under binaries but /init is not the entrypoint; add ENTRYPOINT [\"/init\"]")
		}
	}

	// Files under _nbkit/ exist in the build context only for the binaries
	// image.yaml lists; a listed binary nobody copies is built for nothing.
	copiedBins := map[string]bool{}
	for _, in := range ins {
		if in.Cmd != "copy" || len(in.Args) < 2 {
			continue
		}
		for _, src := range in.Args[:len(in.Args)-1] {
			rest, ok := strings.CutPrefix(src, "_nbkit/")
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(rest, "-${TARGETARCH}")
			copiedBins[name] = true
			if !slices.Contains(img.Binaries, name) {
				add(in.Line, RuleNBInit, "COPY %s: the builder only stages the binaries listed in image.yaml; add %s to binaries, and copy it as _nbkit/%s-${TARGETARCH}", src, name, name)
			}
		}
	}
	for _, b := range img.Binaries {
		if !copiedBins[b] {
			add(0, RuleNBInit, "image.yaml lists %s under binaries but the Dockerfile never copies _nbkit/%s-${TARGETARCH}; copy it or drop it from binaries", b, b)
		}
	}

	// rootfs/ is the image's overlay on /: it must be copied, and the
	// scripts nbinit runs must be executable with a clean shebang.
	if exists(filepath.Join(img.Dir, "rootfs")) {
		copied := false
		for _, in := range ins {
			if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) == 2 && strings.TrimSuffix(in.Args[0], "/") == "rootfs" && in.Args[1] == "/" {
				copied = true
			}
		}
		if !copied {
			add(0, RuleRootfs, "the folder has rootfs/ but the Dockerfile never copies it; add COPY rootfs/ /")
		}
		out = append(out, checkScripts(img)...)
	}
	return out
}

// checkScripts looks at cont-init.d, cont-finish.d and services.d/*/{run,finish}.
func checkScripts(img *catalog.Image) []Finding {
	var paths []string
	for _, pat := range []string{"etc/cont-init.d/*", "etc/cont-finish.d/*", "etc/services.d/*/run", "etc/services.d/*/finish"} {
		m, _ := filepath.Glob(filepath.Join(img.Dir, "rootfs", pat))
		paths = append(paths, m...)
	}
	var out []Finding
	for _, p := range paths {
		rel := img.Name + "/" + mustRel(img.Dir, p)
		st, err := os.Stat(p)
		if err != nil || st.IsDir() || strings.HasPrefix(filepath.Base(p), ".") {
			continue
		}
		if st.Mode().Perm()&0o111 == 0 {
			out = append(out, Finding{Image: img.Name, File: rel, Rule: RuleRootfs, Msg: "not executable; nbinit counts it as failed (126). Run chmod +x and commit the mode"})
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		first, _, _ := bytes.Cut(raw, []byte("\n"))
		switch {
		case !bytes.HasPrefix(first, []byte("#!")):
			out = append(out, Finding{Image: img.Name, File: rel, Line: 1, Rule: RuleRootfs, Msg: "no #! line; start with #!/command/with-contenv bash (or another interpreter)"})
		case bytes.Contains(raw, []byte("\r\n")):
			out = append(out, Finding{Image: img.Name, File: rel, Line: 1, Rule: RuleRootfs, Msg: "CRLF line endings; the kernel then looks for an interpreter named \"bash\\r\". Convert to LF"})
		}
	}
	return out
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}
