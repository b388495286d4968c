package contenv

import (
	"slices"
	"strings"
)

// Env is an environment as a list of NAME=value, kept in first-seen order so
// a child sees variables in a stable order.
type Env []string

// Get returns the value of name and whether it is set.
func (e Env) Get(name string) (string, bool) {
	for i := len(e) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// Set returns e with name set to value, replacing earlier values.
func (e Env) Set(name, value string) Env {
	e = e.Unset(name)
	return append(e, name+"="+value)
}

// Unset returns e without name.
func (e Env) Unset(name string) Env {
	return slices.DeleteFunc(slices.Clone(e), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return k == name
	})
}
