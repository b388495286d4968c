package conformance

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// The paths of an image the file-based checks read. Both drivers fill an
// imageFiles with them: the docker driver copies them out of a created (never
// started) container, the static driver reads them from the layers.
var (
	contentPaths = []string{"/etc/passwd", "/etc/group"}
	treePaths    = []string{"/etc/cont-init.d", "/etc/services.d", "/etc/cont-finish.d", "/home/jovyan", seedDir}
	// s6Markers show an image runs s6-overlay, whose service folders the
	// runtime user must own.
	s6Markers = []string{"/package/admin/s6-overlay", "/command/s6-svscan", "/etc/s6-overlay"}
)

// maxContent caps how much of a file is kept (passwd and group are small).
const maxContent = 1 << 20

// imageFiles is the part of an image's filesystem the checks look at:
// headers for every entry under treePaths, content for contentPaths.
type imageFiles struct {
	entries map[string]*tar.Header // by absolute path
	content map[string][]byte
	// hasShell is true when /bin/sh exists, so probes can run shell commands.
	hasShell bool
	isS6     bool
}

func newImageFiles() *imageFiles {
	return &imageFiles{entries: map[string]*tar.Header{}, content: map[string][]byte{}}
}

// add reads a tar stream whose entry names are relative to dir.
func (f *imageFiles) add(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading archive of %s: %w", dir, err)
		}
		p := path.Join("/", dir, h.Name)
		f.mark(p)
		if !wanted(p) {
			continue
		}
		h.Name = p // absolute, whatever the archive was relative to
		f.entries[p] = h
		if isContentPath(p) && h.Typeflag == tar.TypeReg {
			b, err := io.ReadAll(io.LimitReader(tr, maxContent))
			if err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
			f.content[p] = b
		}
	}
}

// mark notes the marker paths a whole-filesystem stream (static driver) passes.
func (f *imageFiles) mark(p string) {
	if p == "/bin/sh" || p == "/usr/bin/sh" {
		f.hasShell = true
	}
	for _, m := range s6Markers {
		if p == m || strings.HasPrefix(p, m+"/") {
			f.isS6 = true
		}
	}
}

func wanted(p string) bool {
	if isContentPath(p) {
		return true
	}
	for _, t := range treePaths {
		if p == t || strings.HasPrefix(p, t+"/") {
			return true
		}
	}
	return false
}

func isContentPath(p string) bool {
	for _, c := range contentPaths {
		if p == c {
			return true
		}
	}
	return false
}

// under lists the entries below dir (not dir itself), sorted.
func (f *imageFiles) under(dir string) []*tar.Header {
	var out []*tar.Header
	for p, h := range f.entries {
		if strings.HasPrefix(p, dir+"/") {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// seedDir is where nbkit images keep the home's initial content, copied
// into an empty PVC at start (design/images.md).
const seedDir = "/tmp_home/jovyan"

// homeSeeds lists the top-level names the start-up should put into an empty
// home: those of seedDir when the image has one (declared: they must
// appear), else those the image ships in /home/jovyan, which a PVC hides
// (undeclared: worth a warning only).
func (f *imageFiles) homeSeeds() (names []string, declared bool) {
	names = f.topLevel(seedDir)
	if len(names) > 0 {
		return names, true
	}
	return f.topLevel("/home/jovyan"), false
}

func (f *imageFiles) topLevel(dir string) []string {
	var names []string
	for p := range f.entries {
		if rest, ok := strings.CutPrefix(p, dir+"/"); ok && rest != "" && !strings.Contains(rest, "/") {
			names = append(names, rest)
		}
	}
	sort.Strings(names)
	return names
}

func entryPath(h *tar.Header) string { return h.Name }
