package imagelint

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nbkit/nbkit/internal/catalog"
)

// files is a folder whose files the download and pip rules read: an image's
// own folder, or a shared folder under _include/ that images include.
type files struct {
	Image     string   // image of the findings; "" for a shared folder
	Rel       string   // the folder relative to images/, the findings' path prefix
	Dir       string   // the folder on disk
	Platforms []string // what its downloads must cover
}

func imageFiles(img *catalog.Image) files {
	return files{Image: img.Name, Rel: img.Name, Dir: img.Dir, Platforms: img.Platforms}
}

// checkIncludeUse compares the shared folders a Dockerfile reads from the
// build context (_include/<name>, in COPY/ADD or a bind mount) with the ones
// image.yaml includes: the builder stages only the listed ones.
func checkIncludeUse(img *catalog.Image, ins []Instruction) []Finding {
	file := img.Name + "/Dockerfile"
	var out []Finding
	used := map[string]bool{}
	for _, in := range ins {
		var srcs []string
		if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) > 1 {
			srcs = in.Args[:len(in.Args)-1]
		}
		for _, f := range in.Flags {
			for _, kv := range strings.Split(strings.TrimPrefix(f, "--mount="), ",") {
				if k, v, _ := strings.Cut(kv, "="); k == "source" || k == "src" {
					srcs = append(srcs, v)
				}
			}
		}
		for _, src := range srcs {
			rest, ok := strings.CutPrefix(strings.TrimPrefix(src, "./"), catalog.IncludeDir+"/")
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(rest, "/")
			used[name] = true
			if !slices.Contains(img.Include, name) {
				out = append(out, Finding{Image: img.Name, File: file, Line: in.Line, Rule: RuleInclude,
					Msg: fmt.Sprintf("%s reads %s/%s/, which the builder only stages for the folders listed in image.yaml; add %s to include", strings.ToUpper(in.Cmd), catalog.IncludeDir, name, name)})
			}
		}
	}
	for _, name := range img.Include {
		if !used[name] {
			out = append(out, Finding{Image: img.Name, File: file, Rule: RuleInclude,
				Msg: fmt.Sprintf("image.yaml includes %s but the Dockerfile never reads %s/%s/; use it (e.g. RUN --mount=type=bind,source=%s/%s,target=/mnt ...) or drop it from include", name, catalog.IncludeDir, name, catalog.IncludeDir, name)})
		}
	}
	return out
}

// checkShared applies the download and pip rules to the scripts of every
// shared folder an image includes, once per folder, with the platforms of
// all the images that include it.
func checkShared(c *catalog.Catalog) []Finding {
	platforms := map[string][]string{}
	var names []string
	for _, img := range images(c) {
		for _, n := range img.Include {
			if !exists(img.IncludePath(n)) {
				continue // a catalog finding already
			}
			if _, ok := platforms[n]; !ok {
				names = append(names, n)
			}
			for _, p := range img.Platforms {
				if !slices.Contains(platforms[n], p) {
					platforms[n] = append(platforms[n], p)
				}
			}
		}
	}
	slices.Sort(names)
	var out []Finding
	for _, n := range names {
		f := files{Rel: catalog.IncludeDir + "/" + n, Dir: filepath.Join(c.Dir, catalog.IncludeDir, n), Platforms: platforms[n]}
		entries, err := os.ReadDir(f.Dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			ins, ok := scriptLines(filepath.Join(f.Dir, e.Name()))
			if !ok {
				continue
			}
			out = append(out, checkDownloads(f, e.Name(), ins)...)
			out = append(out, checkPip(f, e.Name(), ins)...)
		}
	}
	return out
}

// scriptLines reads a shell script (a file starting with #!) as one RUN-like
// instruction per logical line, continuations joined, comments dropped.
func scriptLines(path string) ([]Instruction, bool) {
	raw, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(raw, []byte("#!")) {
		return nil, false
	}
	var out []Instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if body, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(line)
		if text := strings.TrimSpace(cur.String()); text != "" {
			out = append(out, Instruction{Cmd: "run", Args: []string{text}, Text: text, Line: start})
		}
		cur.Reset()
	}
	return out, true
}
