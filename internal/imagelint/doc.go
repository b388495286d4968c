// Package imagelint checks the image tree under images/ without building
// anything: every image.yaml is well formed and agrees with the tree of
// design/images.md, every Dockerfile parses and takes its parent from
// BASE_IMG, ends as the notebook user, and pins every vendor download by
// version and sha256 for each architecture it is built for.
//
// It is what CI runs for the images that cannot be built offline (TensorFlow,
// CUDA, Gaudi, ...), and a fast first gate for the ones that can.
package imagelint
