// Package helpers holds the small programs s6-overlay scripts call by name
// (with-contenv, s6-setuidgid, s6-envuidgid, s6-applyuidgid, s6-envdir,
// printcontenv, halt). nbinit answers as each of them when started through a
// link of that name. Each helper ends by exec'ing its program, so nothing of
// nbinit stays in the process tree.
package helpers
