#!/bin/bash
# rsession-path wrapper: rserver starts R sessions with a clean environment, so kubectl
# and proxies would not work from R or RStudio's terminal. The service's run script saves
# the variables they need; load them, then start the real rsession.
if [ -r /tmp/rstudio-server/session-env ]; then
  # shellcheck disable=SC1091
  . /tmp/rstudio-server/session-env
fi
exec /usr/lib/rstudio-server/bin/rsession "$@"
