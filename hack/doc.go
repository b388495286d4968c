// Package hack holds the host scripts `make` runs (engine, packages, clean-up)
// and, in its tests, the promises they keep: the engine outlives the Ctrl-C
// that stops `make up`, and a test run's clean-up removes only what that run
// created.
package hack
