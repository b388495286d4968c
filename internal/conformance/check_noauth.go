package conformance

import (
	"context"
	"net/url"
	"regexp"
)

// loginPath matches redirect targets that are login pages.
var loginPath = regexp.MustCompile(`(?i)/(login|signin|sign_in|sign-in|auth|oauth2?)(/|$|\?)`)

// checkNoAuth: Kubeflow authenticates at the gateway; a server that asks for
// its own token locks the user out (they never see the token).
func checkNoAuth(ctx context.Context, nb *Notebook) Outcome {
	paths := []string{"/"}
	if nb.IDE == IDEJupyter {
		paths = append(paths, "/api/status")
	}
	for _, p := range paths {
		c, err := nb.follow(ctx, nb.Route, p, nil)
		if err != nil {
			return violation("GET %s%s got no answer: %v", nb.Prefix, p, err)
		}
		for _, h := range c.Hops {
			if h.Status == 401 || h.Status == 403 {
				return violation("GET %s%s → %s: the server demands credentials; Kubeflow authenticates at its gateway, so disable the server's own auth (Jupyter: --IdentityProvider.token='' --ServerApp.password='')",
					nb.Prefix, p, c.describe())
			}
			if h.Location != "" {
				if u, err := url.Parse(h.Location); err == nil && loginPath.MatchString(u.Path) {
					return violation("GET %s%s redirects to the login page %s: disable the server's own auth (Jupyter: --IdentityProvider.token='' --ServerApp.password='')",
						nb.Prefix, p, pathOf(h.Location))
				}
			}
		}
	}
	return pass("no credentials asked for on %v", paths)
}
