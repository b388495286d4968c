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
