// Package initd is nbinit, the init system of nbkit images and a drop-in for
// s6-overlay v3's scripts. One binary plays every role, chosen by the name it
// is started as: /init (stages), with-contenv, s6-setuidgid and the other
// helpers (helpers), and `nbinit install-links DIR...` to create those names.
//
// It imports only the standard library and golang.org/x/sys (see
// deps_test.go), so it can be copied as one static file into any image.
package initd
