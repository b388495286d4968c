package build

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// stageContext copies an image folder into a fresh directory and adds extra
// files under it (nbinit binaries at _nbkit/...) and shared folders
// (_include/<name>/), so the catalog stays free of build products and of
// copies. Only images that need extra files or folders are staged.
func stageContext(src, dst string, extra, dirs map[string]string) error {
	if err := copyTree(src, dst); err != nil {
		return fmt.Errorf("staging build context: %w", err)
	}
	for rel, from := range dirs {
		if err := copyTree(from, filepath.Join(dst, rel)); err != nil {
			return fmt.Errorf("staging build context: %w", err)
		}
	}
	for rel, from := range extra {
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("staging build context: %w", err)
		}
		if err := copyFile(from, target, 0o755); err != nil {
			return fmt.Errorf("staging build context: %w", err)
		}
	}
	return nil
}

// copyTree copies a folder with its modes and symbolic links.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil
	})
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	// The umask must not change modes: COPY keeps them in the image.
	if err := out.Chmod(perm); err != nil {
		out.Close()
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
