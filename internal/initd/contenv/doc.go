// Package contenv reads and writes environment folders: one file per
// variable, the format of s6's s6-envdir and of s6-overlay's
// /run/s6/container_environment that with-contenv loads.
package contenv
