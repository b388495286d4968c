package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The command wires flags to the catalog renderers whose output the catalog
// package's golden files pin; here each format must match those goldens.
func TestTreeFormats(t *testing.T) {
	for _, tc := range []struct{ format, golden string }{
		{"text", "tree17.txt"}, {"mermaid", "tree17.mmd"}, {"json", "tree17.json"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(context.Background(), []string{"tree", "--images", "../catalog/testdata/tree17", "--format", tc.format}, Streams{Out: &out, Err: &errb})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			want, err := os.ReadFile("../catalog/testdata/" + tc.golden)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("nbkit tree --format %s:\n%s\nwant:\n%s", tc.format, out.String(), want)
			}
		})
	}
}

func TestTreeInvalidCatalog(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"tree", "--images", "../catalog/testdata/bad"}, Streams{Out: &out, Err: &errb})
	if code != 1 || !strings.Contains(errb.String(), `parent: unknown image "nosuch"`) {
		t.Errorf("exit %d, stderr:\n%s", code, errb.String())
	}
}
