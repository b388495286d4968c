// Package stages is nbinit as PID 1: it records the container environment,
// runs S6_STAGE2_HOOK and /etc/cont-init.d, supervises /etc/services.d, runs
// the CMD, and on SIGTERM, halt or the CMD's exit stops services, runs
// /etc/cont-finish.d and ends every remaining process, returning as soon as
// none is left.
package stages
