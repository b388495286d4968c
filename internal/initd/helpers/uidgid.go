package helpers

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/nbkit/nbkit/internal/initd/contenv"
)

// ids is who a program should run as.
type ids struct {
	uid, gid  int
	groups    []int
	hasUID    bool
	hasGID    bool
	hasGroups bool
}

// lookupUser resolves a user name, or uid:gid numbers, from /etc/passwd and
// /etc/group.
func lookupUser(account string) (ids, error) {
	if u, g, ok := strings.Cut(account, ":"); ok {
		uid, err1 := strconv.Atoi(u)
		gid, err2 := strconv.Atoi(g)
		if err1 != nil || err2 != nil || uid < 0 || gid < 0 {
			return ids{}, fmt.Errorf("%q is not uid:gid numbers such as 1000:100", account)
		}
		return ids{uid: uid, gid: gid, groups: []int{}, hasUID: true, hasGID: true, hasGroups: true}, nil
	}
	u, err := user.Lookup(account)
	if err != nil {
		var unknown user.UnknownUserError
		if errors.As(err, &unknown) {
			return ids{}, fmt.Errorf("unknown user %q: it is not in /etc/passwd; create it in the Dockerfile (useradd) or give numbers as uid:gid", account)
		}
		return ids{}, fmt.Errorf("looking up user %q: %w", account, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	groups := []int{}
	if gids, err := u.GroupIds(); err == nil {
		for _, g := range gids {
			if n, err := strconv.Atoi(g); err == nil {
				groups = append(groups, n)
			}
		}
	}
	return ids{uid: uid, gid: gid, groups: groups, hasUID: true, hasGID: true, hasGroups: true}, nil
}

func lookupGroup(name string) (int, error) {
	if n, err := strconv.Atoi(name); err == nil {
		return n, nil
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, fmt.Errorf("unknown group %q: it is not in /etc/group; create it (groupadd) or give a number", name)
	}
	return strconv.Atoi(g.Gid)
}

// apply switches the process to id. Switching to the identity the process
// already has is a no-op, so `s6-setuidgid $NB_USER` works in an image that
// already runs as $NB_USER without any capability (s6 fails there).
func apply(id ids) error {
	sameUID := !id.hasUID || (os.Getuid() == id.uid && os.Geteuid() == id.uid)
	sameGID := !id.hasGID || (os.Getgid() == id.gid && os.Getegid() == id.gid)
	if sameUID && sameGID && (!id.hasGroups || sameGroups(id.groups, id.gid)) {
		return nil
	}
	if id.hasGroups {
		if err := syscall.Setgroups(id.groups); err != nil && !(sameUID && sameGID) {
			return fmt.Errorf("setting supplementary groups %v: %w", id.groups, err)
		}
	}
	if id.hasGID {
		if err := syscall.Setgid(id.gid); err != nil {
			return fmt.Errorf("setting gid %d: %w", id.gid, err)
		}
	}
	if id.hasUID {
		if err := syscall.Setuid(id.uid); err != nil {
			return fmt.Errorf("setting uid %d: %w", id.uid, err)
		}
	}
	return nil
}

func sameGroups(want []int, primary int) bool {
	have, err := syscall.Getgroups()
	if err != nil {
		return false
	}
	norm := func(g []int) []int {
		g = slices.DeleteFunc(slices.Clone(g), func(x int) bool { return x == primary })
		slices.Sort(g)
		return slices.Compact(g)
	}
	return slices.Equal(norm(want), norm(have))
}

// explainPerm adds the fix to a permission error.
func explainPerm(err error) string {
	if errors.Is(err, syscall.EPERM) {
		return fmt.Sprintf("%v: nbinit and its services run as uid %d without the capability to change users; "+
			"start the container as root (USER root) to use s6-setuidgid, or remove it from the script to run as the current user",
			err, os.Geteuid())
	}
	return err.Error()
}

// SetUIDGID is s6-setuidgid ACCOUNT PROG...
func SetUIDGID(c *Call) int {
	const name = "s6-setuidgid"
	if len(c.Args) < 2 {
		c.errorf(name, "usage: s6-setuidgid USER|UID:GID PROG...")
		return exitUsage
	}
	id, err := lookupUser(c.Args[0])
	if err != nil {
		c.errorf(name, "%v", err)
		return exitUnknown
	}
	if err := apply(id); err != nil {
		c.errorf(name, "cannot switch to %s: %s", c.Args[0], explainPerm(err))
		return exitSystem
	}
	return c.execProg(name, c.Args[1:], c.Env)
}

// EnvUIDGID is s6-envuidgid [-u|-g|-B] [-n] [-i|-D uid:gid:gidlist] ACCOUNT PROG...:
// it puts UID, GID and GIDLIST in the environment for s6-applyuidgid -U.
func EnvUIDGID(c *Call) int {
	const name = "s6-envuidgid"
	opts, rest, err := getopt(c.Args, "ugBniD:")
	if err != nil || len(rest) < 2 {
		c.errorf(name, "usage: s6-envuidgid [-u|-g|-B] [-n] [-i|-D uid:gid:gidlist] ACCOUNT PROG...")
		return exitUsage
	}
	account, prog := rest[0], rest[1:]
	env := c.Env.Unset("UID").Unset("GID").Unset("GIDLIST")
	set := func(id ids) contenv.Env {
		e := env
		if id.hasUID {
			e = e.Set("UID", strconv.Itoa(id.uid))
		}
		if id.hasGID {
			e = e.Set("GID", strconv.Itoa(id.gid))
		}
		if id.hasGroups {
			e = e.Set("GIDLIST", joinInts(id.groups))
		}
		return e
	}
	var id ids
	switch {
	case has(opts, 'g'):
		gid, e := lookupGroup(account)
		id, err = ids{gid: gid, hasGID: true}, e
	case has(opts, 'B'):
		u, g, _ := strings.Cut(account, ":")
		id, err = lookupUser(u)
		if err == nil && g != "" {
			id.gid, err = lookupGroup(g)
		}
		id.hasGroups = false
	default:
		id, err = lookupUser(account)
		if err != nil && has(opts, 'n') {
			if n, e := strconv.Atoi(account); e == nil {
				id, err = ids{uid: n, hasUID: true}, nil
			}
		}
		if has(opts, 'u') {
			id.hasGID, id.hasGroups = false, false
		}
	}
	if err != nil {
		if def, ok := opts['D']; ok {
			f := strings.SplitN(def, ":", 3)
			uid, _ := strconv.Atoi(f[0])
			id = ids{uid: uid, hasUID: true}
			if len(f) > 1 {
				id.gid, _ = strconv.Atoi(f[1])
				id.hasGID = true
			}
			if len(f) > 2 {
				id.groups, _ = splitInts(f[2])
				id.hasGroups = true
			}
		} else {
			c.errorf(name, "%v", err)
			return exitUnknown
		}
	}
	return c.execProg(name, prog, set(id))
}

// ApplyUIDGID is s6-applyuidgid [-z] [-u uid] [-g gid] [-G gidlist] [-U] PROG...
func ApplyUIDGID(c *Call) int {
	const name = "s6-applyuidgid"
	opts, prog, err := getopt(c.Args, "zUu:g:G:")
	if err != nil || len(prog) == 0 {
		c.errorf(name, "usage: s6-applyuidgid [-z] [-u uid] [-g gid] [-G gidlist] [-U] PROG...")
		return exitUsage
	}
	var id ids
	num := func(v, what string) (int, bool) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.errorf(name, "%s %q is not a number", what, v)
			return 0, false
		}
		return n, true
	}
	if has(opts, 'U') {
		if v, ok := c.Env.Get("UID"); ok && v != "" {
			if id.uid, ok = num(v, "UID"); !ok {
				return exitUsage
			}
			id.hasUID = true
		}
		if v, ok := c.Env.Get("GID"); ok && v != "" {
			if id.gid, ok = num(v, "GID"); !ok {
				return exitUsage
			}
			id.hasGID = true
		}
		if v, ok := c.Env.Get("GIDLIST"); ok {
			g, err := splitInts(v)
			if err != nil {
				c.errorf(name, "GIDLIST %q: %v", v, err)
				return exitUsage
			}
			id.groups, id.hasGroups = g, true
		}
	}
	var ok bool
	if v, set := opts['u']; set {
		if id.uid, ok = num(v, "uid"); !ok {
			return exitUsage
		}
		id.hasUID = true
	}
	if v, set := opts['g']; set {
		if id.gid, ok = num(v, "gid"); !ok {
			return exitUsage
		}
		id.hasGID = true
	}
	if v, set := opts['G']; set {
		g, err := splitInts(v)
		if err != nil {
			c.errorf(name, "-G %q: %v", v, err)
			return exitUsage
		}
		id.groups, id.hasGroups = g, true
	}
	if err := apply(id); err != nil {
		c.errorf(name, "%s", explainPerm(err))
		return exitSystem
	}
	env := c.Env
	if has(opts, 'z') {
		env = env.Unset("UID").Unset("GID").Unset("GIDLIST")
	}
	return c.execProg(name, prog, env)
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func splitInts(s string) ([]int, error) {
	out := []int{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a comma-separated list of group numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}
