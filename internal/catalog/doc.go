// Package catalog reads the image tree under images/: one folder per image
// with an image.yaml, a Dockerfile and an optional rootfs/. It validates the
// whole tree at once (so a person fixes every mistake in one pass), orders it
// parents-first, selects the images a build needs, and renders the tree as
// text, Mermaid or JSON.
package catalog
