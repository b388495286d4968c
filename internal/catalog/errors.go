package catalog

import (
	"fmt"
	"strings"
)

// Problem is one mistake in the catalog: where it is, what is wrong, and what
// to do about it.
type Problem struct {
	File  string // the image.yaml or folder concerned
	Field string // the field, or "" when the problem is the file itself
	What  string
	Fix   string
}

func (p Problem) String() string {
	loc := p.File
	if p.Field != "" {
		loc += ": " + p.Field
	}
	s := loc + ": " + p.What
	if p.Fix != "" {
		s += " (" + p.Fix + ")"
	}
	return s
}

// InvalidError lists every problem found in a catalog; Load returns it so a
// person sees all of them at once instead of one per run.
type InvalidError struct {
	Dir      string
	Problems []Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "catalog %s has %d problem(s):", e.Dir, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}
