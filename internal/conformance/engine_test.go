package conformance

import (
	"testing"

	"github.com/moby/moby/client"

	"github.com/nbkit/nbkit/internal/engine/enginetest"
)

func enginetestClient(t *testing.T) *client.Client { return enginetest.Client(t) }
