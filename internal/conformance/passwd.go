package conformance

import (
	"strconv"
	"strings"
)

// account is one /etc/passwd line.
type account struct {
	Name  string
	UID   int
	GID   int
	Home  string
	Shell string
}

// parsePasswd reads passwd(5) lines, skipping malformed ones.
func parsePasswd(b []byte) []account {
	var out []account
	for line := range strings.SplitSeq(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(line), ":")
		if len(f) < 7 || strings.HasPrefix(f[0], "#") {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, account{Name: f[0], UID: uid, GID: gid, Home: f[5], Shell: f[6]})
	}
	return out
}

// group is one /etc/group line.
type group struct {
	Name    string
	GID     int
	Members []string
}

func parseGroup(b []byte) []group {
	var out []group
	for line := range strings.SplitSeq(string(b), "\n") {
		f := strings.Split(strings.TrimSpace(line), ":")
		if len(f) < 4 || strings.HasPrefix(f[0], "#") {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		var members []string
		if f[3] != "" {
			members = strings.Split(f[3], ",")
		}
		out = append(out, group{Name: f[0], GID: gid, Members: members})
	}
	return out
}

// runUser is who the container's processes run as.
type runUser struct {
	Spec   string // the USER value as written ("" = root)
	Name   string // "" when the uid has no passwd entry
	UID    int
	GID    int
	Home   string
	Groups []int // supplementary groups from /etc/group
	// Known is false when the spec names a user the image does not have:
	// the engine then refuses to start the container.
	Known bool
}

// resolveUser resolves a Dockerfile USER value ("name", "uid", "name:group",
// "uid:gid") against the image's own passwd and group files, as the runtime does.
func resolveUser(spec string, passwd, groups []byte) runUser {
	ru := runUser{Spec: spec, Known: true}
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	if userPart == "" {
		userPart = "0"
	}
	accounts := parsePasswd(passwd)
	uid, numeric := atoi(userPart)
	ru.Known = numeric
	for _, a := range accounts {
		if numeric && a.UID == uid || !numeric && a.Name == userPart {
			ru.Name, ru.UID, ru.GID, ru.Home, ru.Known = a.Name, a.UID, a.GID, a.Home, true
			break
		}
	}
	if numeric && ru.Name == "" {
		ru.UID = uid
	}
	gs := parseGroup(groups)
	if hasGroup {
		if gid, ok := atoi(groupPart); ok {
			ru.GID = gid
		} else {
			for _, g := range gs {
				if g.Name == groupPart {
					ru.GID = g.GID
				}
			}
		}
	}
	for _, g := range gs {
		for _, m := range g.Members {
			if m == ru.Name && ru.Name != "" && g.GID != ru.GID {
				ru.Groups = append(ru.Groups, g.GID)
			}
		}
	}
	return ru
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// groupName names gid from the image's group file, for messages.
func groupName(groups []byte, gid int) string {
	for _, g := range parseGroup(groups) {
		if g.GID == gid {
			return g.Name
		}
	}
	return strconv.Itoa(gid)
}
