package imagelint

import (
	"fmt"
	"path/filepath"
	"sort"
)

// Lint checks the whole tree under dir (the repository's images/ folder).
// The error is for a tree that cannot be read; problems are findings.
func Lint(dir string) ([]Finding, error) {
	c, findings, err := Load(dir)
	if err != nil {
		return nil, err
	}
	for _, img := range images(c) {
		df := filepath.Join(img.Dir, "Dockerfile")
		if !exists(df) {
			continue // a catalog finding already
		}
		ins, err := ParseDockerfile(df)
		if err != nil {
			findings = append(findings, Finding{Image: img.Name, File: img.Name + "/Dockerfile", Rule: RuleParse, Msg: fmt.Sprintf("does not parse: %v", err)})
			continue
		}
		findings = append(findings, checkDockerfile(img, ins)...)
		findings = append(findings, checkIncludeUse(img, ins)...)
		findings = append(findings, checkDownloads(imageFiles(img), "Dockerfile", ins)...)
		findings = append(findings, checkPip(imageFiles(img), "Dockerfile", ins)...)
	}
	findings = append(findings, checkShared(c)...)
	findings = append(findings, checkTree(c)...)
	sort.SliceStable(findings, func(i, j int) bool {
		if findings[i].File != findings[j].File {
			return findings[i].File < findings[j].File
		}
		return findings[i].Line < findings[j].Line
	})
	return findings, nil
}
