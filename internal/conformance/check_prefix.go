package conformance

import (
	"context"
	"fmt"
	"strings"
)

// checkPrefix requests $NB_PREFIX/ in both routing modes, follows redirects
// while they stay under the prefix, and passes when the mode Kubeflow uses
// for this IDE ends in 2xx. It sets nb.Route for the checks after it.
func checkPrefix(ctx context.Context, nb *Notebook) Outcome {
	seen := map[Route]chain{}
	var supported []string
	for _, route := range []Route{RouteKeep, RouteRewrite} {
		c, err := nb.follow(ctx, route, "/", nil)
		if err != nil {
			seen[route] = chain{}
			continue
		}
		seen[route] = c
		if c.ok() {
			supported = append(supported, string(route))
		}
	}
	want := requiredRoute(nb.IDE)
	nb.Route = RouteKeep
	switch {
	case want != "" && seen[want].Hops != nil && seen[want].ok():
		nb.Route = want
	case len(supported) > 0:
		nb.Route = Route(supported[0])
	}
	modes := strings.Join(supported, ", ")
	if modes == "" {
		modes = "none"
	}
	if want == "" && len(supported) > 0 || want != "" && seen[want].Hops != nil && seen[want].ok() {
		c := seen[nb.Route]
		return pass("GET %s/ → %s; routing modes: %s", nb.Prefix, c.describe(), modes).with("routes", modes)
	}
	mode := want
	if mode == "" {
		mode = RouteKeep
	}
	return violation("%s; routing modes: %s", explainRoute(nb, mode, seen[mode]), modes).with("routes", modes)
}

func explainRoute(nb *Notebook, route Route, c chain) string {
	req := fmt.Sprintf("GET %s/", nb.Prefix)
	if route == RouteRewrite {
		req = fmt.Sprintf("GET / with X-RStudio-Root-Path: %s/ (Kubeflow's rewrite for %s)", nb.Prefix, ideName(nb.IDE))
	}
	switch {
	case c.Hops == nil:
		return fmt.Sprintf("%s got no HTTP answer", req)
	case c.Left != "":
		return fmt.Sprintf("%s redirected to %s, outside NB_PREFIX (%s): in Kubeflow the browser leaves the notebook's route and gets a 404; make the server build redirects from NB_PREFIX (Jupyter: --ServerApp.base_url=$NB_PREFIX)",
			req, pathOf(c.Left), c.describe())
	case route == RouteKeep:
		return fmt.Sprintf("%s answered %s: the server does not serve under NB_PREFIX; start it with its base URL set from $NB_PREFIX (Jupyter: --ServerApp.base_url=$NB_PREFIX)", req, c.describe())
	}
	return fmt.Sprintf("%s answered %s: the server must also answer at / when Kubeflow rewrites the prefix away", req, c.describe())
}

func ideName(ide IDE) string {
	if ide == IDEUnknown {
		return "this server"
	}
	return string(ide)
}
