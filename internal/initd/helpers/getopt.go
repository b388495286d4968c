package helpers

import (
	"fmt"
	"strings"
)

// getopt parses skarnet-style options: single letters, possibly grouped
// (-Lf), in spec a letter followed by ':' takes a value. Parsing stops at the
// first non-option or after "--".
func getopt(args []string, spec string) (map[byte]string, []string, error) {
	opts := map[byte]string{}
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			return opts, args[1:], nil
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		args = args[1:]
		for i := 1; i < len(a); i++ {
			j := strings.IndexByte(spec, a[i])
			if j < 0 || a[i] == ':' {
				return nil, nil, fmt.Errorf("unknown option -%c", a[i])
			}
			if j+1 < len(spec) && spec[j+1] == ':' {
				v := a[i+1:]
				if v == "" {
					if len(args) == 0 {
						return nil, nil, fmt.Errorf("option -%c needs a value", a[i])
					}
					v, args = args[0], args[1:]
				}
				opts[a[i]] = v
				break
			}
			opts[a[i]] = ""
		}
	}
	return opts, args, nil
}

func has(opts map[byte]string, c byte) bool { _, ok := opts[c]; return ok }
