package imagelint

import (
	"fmt"
	"path/filepath"
	"sort"
)

// Lint checks the whole tree under dir (the repository's images/ folder).
// The error is for a tree that cannot be read; problems are findings.
func Lint(dir string) ([]Finding, error) {
	images, findings, err := Load(dir)
	if err != nil {
		return nil, err
	}
	byName := index(images)
	parsed := map[string][]Instruction{}
	for _, img := range images {
		findings = append(findings, checkMeta(img, byName)...)
		df := filepath.Join(img.Dir, "Dockerfile")
		if !exists(df) {
			findings = append(findings, Finding{Image: img.Name, File: img.Name + "/Dockerfile", Rule: RuleParse, Msg: "missing; every image folder needs a Dockerfile"})
			continue
		}
		ins, err := ParseDockerfile(df)
		if err != nil {
			findings = append(findings, Finding{Image: img.Name, File: img.Name + "/Dockerfile", Rule: RuleParse, Msg: fmt.Sprintf("does not parse: %v", err)})
			continue
		}
		parsed[img.Name] = ins
		findings = append(findings, checkDockerfile(img, ins)...)
		findings = append(findings, checkDownloads(img, ins)...)
		findings = append(findings, checkPip(img, ins)...)
	}
	findings = append(findings, checkCycles(images, byName)...)
	findings = append(findings, checkTree(images, byName)...)
	findings = append(findings, checkSync(images, parsed)...)
	sort.SliceStable(findings, func(i, j int) bool {
		if findings[i].File != findings[j].File {
			return findings[i].File < findings[j].File
		}
		return findings[i].Line < findings[j].Line
	})
	return findings, nil
}
