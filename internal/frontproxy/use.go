package frontproxy

import "net/http"

// fromBrowser reports whether a request is a person's: sent by a browser
// and not a CORS or other OPTIONS request, which a browser sends on its own.
//
// Every current browser sends Sec-Fetch-Mode with every request, and a
// script in a page can neither set nor remove it; browsers from before it
// (Safari before 16.4) still send Origin with every POST and websocket
// handshake. Kubelet probes, the culler, metrics scrapers and other
// workloads in the mesh send neither, so an open port that other software
// talks to does not keep a notebook from being culled.
func fromBrowser(r *http.Request) bool {
	if r.Method == http.MethodOptions {
		return false
	}
	return r.Header.Get("Sec-Fetch-Mode") != "" || r.Header.Get("Origin") != ""
}

// served reports whether the IDE did what was asked: a page, a redirect, a
// cached copy, a protocol switch. A 404 or an error is no sign of work done.
func served(code int) bool {
	return code == http.StatusSwitchingProtocols || code >= 200 && code < 400
}
