// Package imagelint checks the image tree under images/ without building
// anything: the catalog is valid (read with internal/catalog, whose problems
// become findings) and agrees with the tree of design/images.md, every
// Dockerfile parses and takes its parent from BASE_IMG, ends as the notebook
// user, reads exactly the shared _include/ folders its image.yaml lists, and
// every Dockerfile and shared script pins each vendor download by version and
// sha256 for each architecture it is built for, and each pip install by version.
//
// It is what CI runs for the images that cannot be built offline (TensorFlow,
// CUDA, Gaudi, ...), and a fast first gate for the ones that can.
package imagelint
