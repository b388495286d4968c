// Package rundir lays out nbinit's runtime directory: the container
// environment folder, the exit-code file, the halt link and the control fifo,
// at the paths s6-overlay v3 scripts use (/run/s6/..., /run/s6-linux-init-
// container-results/...). When /run is not writable by the user nbinit runs
// as, the same layout is made in a private directory instead.
package rundir
