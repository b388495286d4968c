package engine

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/moby/moby/client"
)

// imageImporter is the part of the engine client the relay image needs.
type imageImporter interface {
	ImageInspect(ctx context.Context, image string, opts ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ImageImport(ctx context.Context, source client.ImageImportSource, ref string, options client.ImageImportOptions) (client.ImageImportResult, error)
}

// EnsureRelayImage returns a reference to an image holding only the running
// executable, named so that it acts as the relay. The tag carries the binary's
// hash, so the image is imported once per nbkit build and reused after that.
func EnsureRelayImage(ctx context.Context, cli imageImporter) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locating own executable for the relay image: %w", err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		return "", fmt.Errorf("reading own executable for the relay image: %w", err)
	}
	if err := requireStatic(bin); err != nil {
		return "", fmt.Errorf("%s cannot serve as the relay: %w", exe, err)
	}
	sum := sha256.Sum256(bin)
	ref := relayName + ":" + hex.EncodeToString(sum[:])[:16]
	if _, err := cli.ImageInspect(ctx, ref); err == nil {
		return ref, nil
	}

	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	if err := tw.WriteHeader(&tar.Header{Name: relayName, Mode: 0o755, Size: int64(len(bin))}); err != nil {
		return "", fmt.Errorf("packing relay image: %w", err)
	}
	tw.Write(bin)
	if err := tw.Close(); err != nil {
		return "", fmt.Errorf("packing relay image: %w", err)
	}
	res, err := cli.ImageImport(ctx, client.ImageImportSource{Source: &layer, SourceName: "-"}, ref, client.ImageImportOptions{
		Changes: append([]string{`ENTRYPOINT ["/` + relayName + `"]`, `CMD ["idle"]`}, ManagedChanges("relay")...),
	})
	if err != nil {
		return "", fmt.Errorf("importing relay image: %w", err)
	}
	defer res.Close()
	if _, err := ReadMessages(res); err != nil {
		return "", fmt.Errorf("importing relay image: %w", err)
	}
	return ref, nil
}

// requireStatic refuses a dynamically linked executable: the relay image has
// no C library. nbkit is built with CGO_ENABLED=0 for this reason.
func requireStatic(bin []byte) error {
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return fmt.Errorf("not a Linux executable (%v); nbkit must run on Linux to probe containers", err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return errors.New("it is dynamically linked; rebuild with CGO_ENABLED=0")
		}
	}
	return nil
}
