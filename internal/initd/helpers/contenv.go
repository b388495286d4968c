package helpers

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/nbkit/nbkit/internal/initd/contenv"
	"github.com/nbkit/nbkit/internal/initd/rundir"
)

// WithContenv runs PROG with the container environment: the environment is
// cleared (except PATH, as s6-overlay's `emptyenv -p` does, and the runtime
// dir), then the folder is loaded with s6-envdir -Lf semantics. With
// S6_KEEP_ENV=1 PROG runs unchanged.
func WithContenv(c *Call) int {
	c.Args = splitShebangWord(c.Args)
	if v, _ := c.Env.Get("S6_KEEP_ENV"); strings.TrimSpace(v) == "1" {
		return c.execProg("with-contenv", c.Args, c.Env)
	}
	env, err := containerEnv(c.Env)
	if err != nil {
		c.errorf("with-contenv", "%v", err)
		return exitSystem
	}
	return c.execProg("with-contenv", c.Args, env)
}

// splitShebangWord undoes the kernel's packing of a #! line: with
// `#!/command/with-contenv bash -e` the kernel passes "bash -e" as one
// argument, which names no program.
func splitShebangWord(args []string) []string {
	if len(args) == 0 || !strings.ContainsAny(args[0], " \t") {
		return args
	}
	if _, err := os.Stat(args[0]); err == nil {
		return args
	}
	return append(strings.Fields(args[0]), args[1:]...)
}

func containerEnv(current contenv.Env) (contenv.Env, error) {
	dir := rundir.Find()
	var base contenv.Env
	for _, keep := range []string{"PATH", rundir.EnvVar} {
		if v, ok := current.Get(keep); ok {
			base = base.Set(keep, v)
		}
	}
	env, err := contenv.Load(dir.EnvDir(), base, contenv.WithContenv)
	if err != nil {
		return nil, fmt.Errorf("loading the container environment (is nbinit running? it writes %s): %w", dir.EnvDir(), err)
	}
	return env, nil
}

// PrintContenv prints one variable of the container environment (or all,
// without argument), exiting 1 when it is not set, as printenv does.
func PrintContenv(c *Call) int {
	env, err := containerEnv(nil)
	if err != nil {
		c.errorf("printcontenv", "%v", err)
		return exitSystem
	}
	if len(c.Args) == 0 {
		lines := append([]string(nil), env...)
		sort.Strings(lines)
		for _, kv := range lines {
			fmt.Fprintln(c.Stdout, kv)
		}
		return 0
	}
	code := 0
	for _, name := range c.Args {
		v, ok := env.Get(name)
		if !ok {
			code = exitUnknown
			continue
		}
		fmt.Fprintln(c.Stdout, v)
	}
	return code
}

// EnvDir is s6-envdir [-I|-i] [-n] [-f] [-L] [-c nullis] DIR PROG...
func EnvDir(c *Call) int {
	const name = "s6-envdir"
	opts, rest, err := getopt(c.Args, "IinfLc:")
	if err != nil || len(rest) < 2 {
		c.errorf(name, "usage: s6-envdir [-I|-i] [-n] [-f] [-L] [-c nullis] DIR PROG...")
		return exitUsage
	}
	o := contenv.Options{Full: has(opts, 'f'), NoChomp: has(opts, 'n'), NoClamp: has(opts, 'L')}
	if v := opts['c']; v != "" {
		o.NullIs = v[0]
	}
	dir, prog := rest[0], rest[1:]
	env, err := contenv.Load(dir, c.Env, o)
	if err != nil {
		if has(opts, 'I') && os.IsNotExist(unwrapAll(err)) {
			return c.execProg(name, prog, c.Env)
		}
		c.errorf(name, "%v", err)
		return exitSystem
	}
	return c.execProg(name, prog, env)
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// Halt asks nbinit to stop the container, with the code recorded in
// s6-linux-init-container-results/exitcode.
func Halt(c *Call) int {
	dir := rundir.Find()
	if err := dir.Halt(); err != nil {
		c.errorf("halt", "%v; halt stops a container whose init is nbinit", err)
		return exitSystem
	}
	return 0
}
