package manifest

import (
	"fmt"
	"io"
	"strings"
)

// Change is one package difference between two manifests.
type Change struct {
	Ecosystem string
	Name      string
	Old, New  string // empty Old: added; empty New: removed
}

// Diff lists the package differences from a to b, per ecosystem in display
// order, packages by name.
func Diff(a, b *Manifest) []Change {
	var out []Change
	for _, eco := range Ecosystems {
		old, cur := index(a.List(eco)), index(b.List(eco))
		for _, name := range sortedNames(old, cur) {
			o, inOld := old[name]
			n, inNew := cur[name]
			if inOld && inNew && o == n {
				continue
			}
			out = append(out, Change{Ecosystem: eco, Name: name, Old: o, New: n})
		}
	}
	return out
}

// WriteDiff prints changes as + added, - removed, ~ changed, then the size.
func WriteDiff(w io.Writer, a, b *Manifest) error {
	var s strings.Builder
	changes := Diff(a, b)
	eco := ""
	for _, c := range changes {
		if c.Ecosystem != eco {
			eco = c.Ecosystem
			fmt.Fprintf(&s, "%s:\n", headings[eco])
		}
		switch {
		case c.Old == "":
			fmt.Fprintf(&s, "  + %s %s\n", c.Name, c.New)
		case c.New == "":
			fmt.Fprintf(&s, "  - %s %s\n", c.Name, c.Old)
		default:
			fmt.Fprintf(&s, "  ~ %s %s -> %s\n", c.Name, c.Old, c.New)
		}
	}
	if len(changes) == 0 {
		s.WriteString("no package changes\n")
	}
	delta := b.Size - a.Size
	sign := "+"
	if delta < 0 {
		sign, delta = "-", -delta
	}
	fmt.Fprintf(&s, "size: %s -> %s (%s%s)\n", HumanSize(a.Size), HumanSize(b.Size), sign, HumanSize(delta))
	_, err := io.WriteString(w, s.String())
	return err
}

// index maps names to versions; a name listed twice (two Python
// distributions) keeps all versions so nothing is hidden.
func index(list []Package) map[string]string {
	m := map[string]string{}
	for _, p := range list {
		if v, ok := m[p.Name]; ok {
			m[p.Name] = v + ", " + p.Version
		} else {
			m[p.Name] = p.Version
		}
	}
	return m
}

func sortedNames(a, b map[string]string) []string {
	all := map[string]string{}
	for k := range a {
		all[k] = ""
	}
	for k := range b {
		all[k] = ""
	}
	return sortedKeys(all)
}
