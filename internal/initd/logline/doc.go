// Package logline writes nbinit's own log lines. Every line names the stage
// and, when there is one, the service or script, so that a person reading
// `kubectl logs` can follow start-up and shutdown without knowing nbinit.
package logline
