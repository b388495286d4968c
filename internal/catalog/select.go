package catalog

import (
	"fmt"
	"strings"
)

// Select returns the images a build of names needs, parents first: the named
// images and all their ancestors, or every image when names is empty. With
// offline, only images buildable from a Debian mirror and the npm registry
// qualify; naming one that is not is an error that says which source it needs.
func (c *Catalog) Select(names []string, offline bool) ([]*Image, error) {
	want := map[string]bool{}
	var problems []string
	for _, n := range names {
		if c.Images[n] == nil {
			problems = append(problems, fmt.Sprintf("unknown image %q (images: %s)", n, strings.Join(c.names(), ", ")))
			continue
		}
		if ok, src := c.Offline(n); offline && !ok {
			problems = append(problems, fmt.Sprintf("%s is not buildable offline: it needs source %q (drop --offline or the image)", n, src))
			continue
		}
		want[n] = true
		for _, a := range c.Ancestors(n) {
			want[a.Name] = true
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("selecting images: %s", strings.Join(problems, "; "))
	}
	var out []*Image
	for _, img := range c.Order() {
		if len(names) == 0 {
			if ok, _ := c.Offline(img.Name); ok || !offline {
				out = append(out, img)
			}
		} else if want[img.Name] {
			out = append(out, img)
		}
	}
	return out, nil
}
