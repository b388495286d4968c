package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Inputs are everything that decides an image's content. Two builds with
// equal Inputs produce equivalent images, so the second can be skipped.
type Inputs struct {
	Dir       string            // the image folder: Dockerfile, image.yaml, rootfs/
	ParentID  string            // image ID of the parent (or of the OS base)
	BuildArgs map[string]string // as passed to BuildKit, BASE_IMG excluded (ParentID covers it)
	Platforms []string
	Files     map[string]string // extra context files (nbinit) -> their sha256
	Includes  map[string]string // shared folders staged into the context: path there (_include/<name>) -> folder
}

// Hash returns the hex sha256 of the inputs. The folder walk records each
// path, its type and permission bits, and its content or link target, so a
// chmod or a renamed file counts as a change just like an edit.
func (in Inputs) Hash() (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "nbkit-inputs-v1\nparent %s\n", in.ParentID)
	for _, k := range sortedKeys(in.BuildArgs) {
		fmt.Fprintf(h, "arg %q=%q\n", k, in.BuildArgs[k])
	}
	for _, p := range in.Platforms {
		fmt.Fprintf(h, "platform %s\n", p)
	}
	for _, k := range sortedKeys(in.Files) {
		fmt.Fprintf(h, "file %s %s\n", k, in.Files[k])
	}
	if err := hashTree(h, in.Dir, ""); err != nil {
		return "", err
	}
	// Included folders hash like the files they become in the context, so
	// editing one rebuilds exactly the images that include it.
	for _, rel := range sortedKeys(in.Includes) {
		if err := hashTree(h, in.Includes[rel], rel); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree records every entry under root as it would sit in the build
// context, under prefix.
func hashTree(h io.Writer, root, prefix string) error {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			if prefix != "" {
				fmt.Fprintf(h, "include %q\n", prefix)
			}
			return nil // the folder's own mode depends on the checkout, not on the image
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "entry %q %v ", filepath.ToSlash(filepath.Join(prefix, rel)), info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", target)
		case d.Type().IsRegular():
			sum, err := fileSHA256(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\n", sum)
		default:
			fmt.Fprintln(h)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hashing %s: %w", root, err)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
