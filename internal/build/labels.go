package build

import (
	"time"

	"github.com/nbkit/nbkit/internal/catalog"
	"github.com/nbkit/nbkit/internal/engine"
)

// Labels nbkit puts on every image it builds.
const (
	LabelInputsHash = "dev.nbkit.inputs-hash" // skip key, see Inputs.Hash
	LabelParent     = "dev.nbkit.parent"      // parent's image ID
	LabelIDE        = "dev.nbkit.ide"
	LabelServerType = "dev.nbkit.server-type" // what Kubeflow's notebook-server-type expects
)

func (o Options) labels(img *catalog.Image, hash, parentID string) map[string]string {
	l := map[string]string{
		"org.opencontainers.image.title":       img.Name,
		"org.opencontainers.image.description": img.Description,
		"org.opencontainers.image.created":     time.Now().UTC().Format(time.RFC3339),
		LabelInputsHash:                        hash,
		LabelParent:                            parentID,
		LabelIDE:                               img.IDE,
		engine.LabelManaged:                    "build",
	}
	if o.Revision != "" {
		l["org.opencontainers.image.revision"] = o.Revision
	}
	if o.Source != "" {
		l["org.opencontainers.image.source"] = o.Source
	}
	if st := catalog.ServerType(img.IDE); st != "" {
		l[LabelServerType] = st
	}
	return l
}
