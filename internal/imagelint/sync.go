package imagelint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// RuleSync: the *-full images repeat the common set (a Dockerfile cannot
// include another), so the copies are compared instead.
const RuleSync = "sync"

// scipyImage holds the Debian half of the common set; fullSuffix marks the
// images that must carry it.
const (
	scipyImage = "jupyter-scipy"
	fullSuffix = "-full"
)

func checkSync(images []Image, parsed map[string][]Instruction) []Finding {
	want, ok := parsed[scipyImage]
	if !ok {
		return nil
	}
	wantApt := aptPackages(want)
	var out []Finding
	var firstReq []byte
	firstName := ""
	for _, img := range images {
		if !strings.HasSuffix(img.Name, fullSuffix) {
			continue
		}
		if got := aptPackages(parsed[img.Name]); !slices.Equal(got, wantApt) {
			out = append(out, Finding{Image: img.Name, File: img.Name + "/Dockerfile", Rule: RuleSync, Msg: fmt.Sprintf("apt packages %v differ from %s's %v; the common set must be the same in every *-full image", got, scipyImage, wantApt)})
		}
		req, err := os.ReadFile(filepath.Join(img.Dir, "requirements.txt"))
		if err != nil {
			out = append(out, Finding{Image: img.Name, File: img.Name + "/requirements.txt", Rule: RuleSync, Msg: "missing; every *-full image pins the pip half of the common set in requirements.txt"})
			continue
		}
		if firstReq == nil {
			firstReq, firstName = req, img.Name
		} else if !bytes.Equal(req, firstReq) {
			out = append(out, Finding{Image: img.Name, File: img.Name + "/requirements.txt", Rule: RuleSync, Msg: fmt.Sprintf("differs from %s/requirements.txt; change all *-full copies together", firstName)})
		}
	}
	return out
}

// aptPackages lists, sorted, the packages of every apt-get install.
func aptPackages(ins []Instruction) []string {
	var out []string
	for _, in := range ins {
		if in.Cmd != "run" {
			continue
		}
		rest := in.Text
		for {
			i := strings.Index(rest, "apt-get install")
			if i < 0 {
				break
			}
			rest = rest[i+len("apt-get install"):]
			cmd := rest
			if j := strings.IndexAny(cmd, "&;|"); j >= 0 {
				cmd = cmd[:j]
			}
			for _, t := range strings.Fields(cmd) {
				if !strings.HasPrefix(t, "-") && !strings.Contains(t, "=") {
					out = append(out, t)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
