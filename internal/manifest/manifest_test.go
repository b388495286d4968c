package manifest

import (
	"bytes"
	"testing"

	"github.com/nbkit/nbkit/internal/golden"
)

func TestDiff(t *testing.T) {
	a, err := Read("testdata/a.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read("testdata/b.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		a, b   *Manifest
		golden string
	}{
		{"a to b", a, b, "diff-a-b.txt"},
		{"b to a", b, a, "diff-b-a.txt"},
		{"same", a, a, "diff-same.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := WriteDiff(&out, tc.a, tc.b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.golden, out.Bytes())
		})
	}
}

func TestMarkdown(t *testing.T) {
	b, err := Read("testdata/b.json")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := b.WriteMarkdown(&out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "b.md", out.Bytes())
}

func TestParse(t *testing.T) {
	out := "##debian\nbash\t5.2.37-2\nbase-files\t13.8\n##python\n[{\"name\": \"pip\", \"version\": \"25.1\"}]\n##r\nbase\t4.5.0\n##npm\n{\"dependencies\": {\"npm\": {\"version\": \"9.2.0\"}}}\n"
	var m Manifest
	if err := m.parse([]byte(out)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		eco  string
		want []Package
	}{
		{"debian", []Package{{"base-files", "13.8"}, {"bash", "5.2.37-2"}}},
		{"python", []Package{{"pip", "25.1"}}},
		{"r", []Package{{"base", "4.5.0"}}},
		{"npm", []Package{{"npm", "9.2.0"}}},
	} {
		t.Run(tc.eco, func(t *testing.T) {
			got := m.List(tc.eco)
			if len(got) != len(tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%v, want %v", got, tc.want)
				}
			}
		})
	}
}
