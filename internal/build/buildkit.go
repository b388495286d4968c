package build

import (
	"context"
	"fmt"
	"maps"
	"strings"

	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/util/progress/progressui"
	"github.com/tonistiigi/fsutil"
	"golang.org/x/sync/errgroup"
)

// solve runs one Dockerfile build on a BuildKit client with the given export
// and streams BuildKit's plain progress to req.Log. Both backends share it;
// they differ in the client's transport and the export.
func solve(ctx context.Context, bk *bkclient.Client, req Request, export bkclient.ExportEntry) (map[string]string, error) {
	ctxFS, err := fsutil.NewFS(req.ContextDir)
	if err != nil {
		return nil, fmt.Errorf("opening build context: %w", err)
	}
	attrs := map[string]string{
		"filename": "Dockerfile",
		// Builds reach package mirrors only through the host's network here,
		// and on most air-gapped build hosts.
		"force-network-mode": "host",
	}
	if len(req.Platforms) > 0 {
		attrs["platform"] = strings.Join(req.Platforms, ",")
	}
	for k, v := range req.BuildArgs {
		attrs["build-arg:"+k] = v
	}
	for k, v := range req.Labels {
		attrs["label:"+k] = v
	}
	opt := bkclient.SolveOpt{
		Frontend:            "dockerfile.v0",
		FrontendAttrs:       attrs,
		LocalMounts:         map[string]fsutil.FS{"context": ctxFS, "dockerfile": ctxFS},
		Exports:             []bkclient.ExportEntry{export},
		AllowedEntitlements: []string{"network.host"},
		Session:             []session.Attachable{secretsprovider.FromMap(maps.Clone(req.Secrets))},
	}
	status := make(chan *bkclient.SolveStatus)
	var resp *bkclient.SolveResponse
	eg, ectx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		var err error
		resp, err = bk.Solve(ectx, nil, opt, status)
		return err
	})
	eg.Go(func() error {
		d, err := progressui.NewDisplay(req.Log, progressui.PlainMode)
		if err != nil {
			for range status {
			}
			return err
		}
		_, err = d.UpdateFrom(context.WithoutCancel(ectx), status)
		return err
	})
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return resp.ExporterResponse, nil
}

// imageID picks the config digest out of an exporter response; exporters of
// different BuildKit versions name it differently.
func imageID(resp map[string]string) string {
	for _, k := range []string{"containerimage.config.digest", "containerimage.digest"} {
		if v := resp[k]; v != "" {
			return v
		}
	}
	return ""
}
