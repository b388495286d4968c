package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// checkNonroot lists the container's processes through the engine (ps on
// the host side, so it works for images without ps) and wants each to run
// as uid.
func (d *Docker) checkNonroot(ctx context.Context, id string, uid int) Outcome {
	top, err := d.Engine.ContainerTop(ctx, id, client.ContainerTopOptions{Arguments: []string{"-o", "pid,uid,args"}})
	if err != nil {
		return broken(fmt.Errorf("listing the container's processes: %w", err))
	}
	ui, ai := slices.Index(top.Titles, "UID"), slices.Index(top.Titles, "COMMAND")
	if ai < 0 {
		ai = len(top.Titles) - 1
	}
	if ui < 0 {
		return broken(fmt.Errorf("listing the container's processes: no UID column in %v", top.Titles))
	}
	var root, other []string
	for _, proc := range top.Processes {
		u, _ := strconv.Atoi(proc[ui])
		desc := fmt.Sprintf("%q (uid %d)", truncate([]byte(proc[ai]), 60), u)
		switch {
		case u == 0:
			root = append(root, desc)
		case u != uid:
			other = append(other, desc)
		}
	}
	switch {
	case len(root) > 0:
		return violation("%d of %d processes run as root: %s; set `USER 1000` and start the server without sudo/su (runAsNonRoot pods refuse root images)",
			len(root), len(top.Processes), strings.Join(root, ", "))
	case len(other) > 0:
		return violation("processes run as other uids than %d: %s; run everything as the notebook user", uid, strings.Join(other, ", "))
	}
	return pass("all %d processes run as uid %d", len(top.Processes), uid)
}

// homeWrites is what was done in the home before stop/restart.
type homeWrites struct {
	// Listing of the home after start (names), or nil when unknown.
	Listing []string
	// WriteErr is set when the user could not create a file.
	WriteErr string
	// Shell is false when the image has no /bin/sh: nothing was written.
	Shell bool
	// Edited is the seeded file whose content was changed, "" if none.
	Edited string
}

const (
	writeProbe = "nbkit-check-write.txt"
	editMarker = "# edited by nbkit check"
)

// writeHome creates a file in the home as the notebook user and edits one
// seeded file, as a user would in their first session.
func (d *Docker) writeHome(ctx context.Context, id string, f *imageFiles) (homeWrites, error) {
	w := homeWrites{Shell: f.hasShell}
	if !f.hasShell {
		return w, nil
	}
	script := `cd /home/jovyan || exit 3
echo nbkit-check > ` + writeProbe + ` || { echo "WRITE-FAILED"; }
for f in "$@"; do
  if [ -f "$f" ] && [ ! -L "$f" ] && [ -w "$f" ]; then printf '\n%s\n' '` + editMarker + `' >> "$f" && echo "EDITED $f" && break; fi
done
echo "LISTING"
ls -A1`
	seeds, _ := f.homeSeeds()
	res, err := d.exec(ctx, id, "", append([]string{"/bin/sh", "-c", script, "sh"}, seeds...)...)
	if err != nil {
		return w, fmt.Errorf("writing into the home: %w", err)
	}
	if res.Code == 3 {
		w.WriteErr = "cannot enter /home/jovyan: " + strings.TrimSpace(res.Stderr)
		return w, nil
	}
	before, listing, _ := strings.Cut(res.Stdout, "LISTING\n")
	for line := range strings.SplitSeq(before, "\n") {
		if line == "WRITE-FAILED" {
			w.WriteErr = strings.TrimSpace(res.Stderr)
		}
		if name, ok := strings.CutPrefix(line, "EDITED "); ok {
			w.Edited = name
		}
	}
	for name := range strings.SplitSeq(strings.TrimSpace(listing), "\n") {
		if name != "" {
			w.Listing = append(w.Listing, name)
		}
	}
	return w, nil
}

// judgeHome: the user can create files in the home, and whatever the image
// ships in /home/jovyan (hidden by the PVC) was seeded into it.
func judgeHome(w homeWrites, f *imageFiles) Outcome {
	if !w.Shell {
		return advisory("started on an empty home; the image has no /bin/sh, so writing to the home was not tried")
	}
	if w.WriteErr != "" {
		return violation("the notebook user cannot create files in /home/jovyan (root:100, mode 2775, as with fsGroup 100): %s; make the user a member of group 100 or do not chown the home at start", w.WriteErr)
	}
	seeds, declared := f.homeSeeds()
	var missing []string
	for _, s := range seeds {
		if !slices.Contains(w.Listing, s) {
			missing = append(missing, s)
		}
	}
	switch {
	case len(missing) > 0 && declared:
		return violation("%s holds %s, but the start-up did not copy them into the empty home; seed the home from it at start, without overwriting (cp -an %s/. /home/jovyan/)",
			seedDir, strings.Join(missing, ", "), seedDir)
	case len(missing) > 0:
		return advisory("started on an empty home, but the image ships %s in /home/jovyan, which the PVC hides; if users need them, keep a copy in %s and seed it at start",
			strings.Join(missing, ", "), seedDir)
	case len(seeds) > 0:
		return pass("started on an empty home, the user created a file, and the %d seeded entries appeared", len(seeds))
	}
	return pass("started on an empty home and the user created a file in it")
}

// judgeRestart reads back what writeHome left, from the new container.
func (d *Docker) judgeRestart(ctx context.Context, id string, w homeWrites, ready time.Duration) Outcome {
	if !w.Shell {
		return advisory("a new container on the same home was ready after %s; the image has no /bin/sh, so no file was written to compare", ready.Round(10*time.Millisecond))
	}
	if w.WriteErr != "" {
		return skip("not evaluated: no file could be written to the home (see empty-home)")
	}
	b, err := d.readFile(ctx, id, "/home/jovyan/"+writeProbe)
	if err != nil || string(b) != "nbkit-check\n" {
		return violation("a file written to /home/jovyan before the stop (%s) was missing or changed after a start on the same volume (%v): do not clean or re-create the home at start", writeProbe, errOr(err, fmt.Sprintf("content %q", b)))
	}
	if w.Edited != "" {
		b, err := d.readFile(ctx, id, "/home/jovyan/"+w.Edited)
		if err != nil {
			return violation("the seeded file %s, edited by the user, is gone after a restart: seed without overwriting (cp -n)", w.Edited)
		}
		if !strings.Contains(string(b), editMarker) {
			return violation("the start-up overwrote %s, which the user had edited: seed files only when they are missing (cp --no-clobber, rsync --ignore-existing)", w.Edited)
		}
		return pass("ready again after %s; the user's file and their edit of %s survived", ready.Round(10*time.Millisecond), w.Edited)
	}
	return pass("ready again after %s; the user's file survived", ready.Round(10*time.Millisecond))
}

func errOr(err error, alt string) string {
	if err != nil {
		return err.Error()
	}
	return alt
}

// checkPip runs the pip probe as the notebook user.
func (d *Docker) checkPip(ctx context.Context, id string, ru runUser) Outcome {
	res, err := d.exec(ctx, id, "", "python3", "-c", pipProbeScript)
	if errors.Is(err, errNoSuchCommand) {
		return notApplicable("no python3 in the image")
	}
	if err != nil {
		return broken(err)
	}
	if res.Code != 0 {
		return violation("python3 failed running the pip probe (exit %d): %s", res.Code, truncate([]byte(res.Stderr), 300))
	}
	home := ru.Home
	if home == "" {
		home = "/home/jovyan"
	}
	return judgePip([]byte(res.Stdout), home)
}
