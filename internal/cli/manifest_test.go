package cli

import (
	"bytes"
	"context"
	"os"
	"testing"
)

func TestManifestDiff(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"manifest", "diff", "../manifest/testdata/a.json", "../manifest/testdata/b.json"}, Streams{Out: &out, Err: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want, err := os.ReadFile("../manifest/testdata/diff-a-b.txt")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestManifestDiffMissingFile(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"manifest", "diff", "nope.json", "../manifest/testdata/b.json"}, Streams{Out: &out, Err: &errb})
	if code != 2 || !bytes.Contains(errb.Bytes(), []byte("nope.json")) {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
}
