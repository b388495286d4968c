package conformance

import (
	"archive/tar"
	"fmt"
	"path"
	"strings"
)

// initDirs are the start-up folders s6-overlay and nbinit run from.
var initDirs = []string{"/etc/cont-init.d", "/etc/cont-finish.d", "/etc/services.d"}

// checkInitFiles: scripts the runtime user cannot execute make the
// container crash at start, which Kubeflow shows only as CrashLoopBackOff.
func checkInitFiles(f *imageFiles, ru runUser) Outcome {
	var bad []string
	count := 0
	for _, dir := range initDirs {
		for _, h := range f.under(dir) {
			p := entryPath(h)
			if !isInitScript(dir, p, h) {
				continue
			}
			count++
			if !canExec(h, ru) {
				bad = append(bad, fmt.Sprintf("%s (mode %04o, owner %d:%d)", p, h.Mode&0o7777, h.Uid, h.Gid))
			}
			if f.isS6 && dir == "/etc/services.d" && h.Uid != ru.UID {
				bad = append(bad, fmt.Sprintf("%s is owned by uid %d, not the runtime uid %d (s6-overlay supervises as that user)", p, h.Uid, ru.UID))
			}
		}
	}
	if len(bad) > 0 {
		return violation("uid %d cannot run: %s; `chmod 0755` them in the Dockerfile (COPY --chmod=0755)%s",
			ru.UID, strings.Join(bad, ", "), s6Hint(f))
	}
	if count == 0 {
		return pass("no start-up scripts in %s", strings.Join(initDirs, ", "))
	}
	return pass("%d start-up scripts, all executable by uid %d", count, ru.UID)
}

func s6Hint(f *imageFiles) string {
	if f.isS6 {
		return " and chown the service folders to the notebook user"
	}
	return ""
}

// isInitScript: every file in cont-init.d/cont-finish.d, and the run/finish
// files of each service folder.
func isInitScript(dir, p string, h *tar.Header) bool {
	if h.Typeflag != tar.TypeReg {
		return false
	}
	rel := strings.TrimPrefix(p, dir+"/")
	if dir != "/etc/services.d" {
		return !strings.Contains(rel, "/")
	}
	base := path.Base(rel)
	return strings.Count(rel, "/") == 1 && (base == "run" || base == "finish")
}

func canExec(h *tar.Header, ru runUser) bool {
	m := h.Mode
	switch {
	case ru.UID == 0:
		return m&0o111 != 0
	case h.Uid == ru.UID:
		return m&0o100 != 0
	case h.Gid == ru.GID || containsInt(ru.Groups, h.Gid) || h.Gid == 100:
		// 100 is the fsGroup Kubeflow adds to every notebook pod.
		return m&0o010 != 0
	}
	return m&0o001 != 0
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
