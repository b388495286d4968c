package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/moby/moby/client"
)

// ErrUnreachable reports that no engine answered. Callers map it to the
// "could not run" exit status.
var ErrUnreachable = errors.New("no container engine reachable")

// Connect returns a client for $DOCKER_HOST (or the default socket) after a
// successful ping, with the API version negotiated down to what the engine speaks.
func Connect(ctx context.Context) (*client.Client, error) {
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("configuring engine client: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cli.Ping(pingCtx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, fmt.Errorf("%w at %s (%v): start one with `make engine` or set DOCKER_HOST", ErrUnreachable, host(), err)
	}
	return cli, nil
}

func host() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return client.DefaultDockerHost
}
