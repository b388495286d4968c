// Package supervise keeps one /etc/services.d/<name> service running the way
// s6-supervise does: run in its own session, finish after every exit, a
// restart at most once a second, readiness through notification-fd, and the
// down, timeout-finish and finish-exit-125 conventions.
package supervise
