// Package imagetest runs nbinit for real as the /init of the base image, under
// the container engine, the way image authors use it: a cont-init script, a
// supervised service and a finish script that stops the container with a code,
// through docker run, stop and restart. It holds tests only.
package imagetest
