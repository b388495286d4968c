// Package reap starts child processes and collects the exit status of every
// child of nbinit, including orphans re-parented to it as PID 1 or as a child
// subreaper.
//
// A single loop calls wait4(-1, WNOHANG) and hands each status to whoever
// started that pid. Starting and registering a pid happen under the same lock
// as reaping, so a child that exits before it is registered is never mistaken
// for an orphan. nbinit does not use os/exec at all: os/exec waits on its own
// pid, and a concurrent wait4(-1) loop would steal that status.
package reap
