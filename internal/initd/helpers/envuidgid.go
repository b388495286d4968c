package helpers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nbkit/nbkit/internal/initd/contenv"
)

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
