// Package engine connects nbkit to a container engine that speaks the Docker
// Engine API (Docker, Podman's compatible socket, or a remote engine), and holds
// the pieces every engine-backed part of nbkit shares: the connection, the labels
// that mark what nbkit created, and the loopback prober that reaches a container
// started with --network none.
package engine
