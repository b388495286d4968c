// Package build builds the image tree: it plans the selected images parents
// first, hashes each image's inputs to skip unchanged ones, runs independent
// branches in parallel (each parent exactly once, children waiting on its
// future), and drives one small Builder interface whose backends are BuildKit
// inside the Docker engine and a BuildKit daemon at an address.
//
// The package is silent: progress goes to a Reporter and build output to one
// log file per image, both chosen by the caller.
package build
