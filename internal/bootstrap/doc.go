// Package bootstrap makes the OS base image (debian:trixie-slim) from a
// Debian mirror with mmdebstrap and puts it into the engine, for hosts that
// have a mirror but no container registry. A host-platform rootfs is streamed
// straight into the Engine API's image import; another platform's is
// assembled into an image with the right architecture (the engine's import
// would label it with the host's) and loaded.
package bootstrap
