#!/usr/bin/env bash
# Removes what one test run left in the engine: the containers, volumes and
# images labelled with its run id (dev.nbkit.run-id=$NBKIT_RUN_ID, which
# `make test` sets and nbkit puts on everything it creates), then dangling
# images that nbkit builds superseded. Never touches anything else: not a
# notebook or home volume of the user's own `nbkit run`, not another run's
# objects, not unlabelled objects.
set -uo pipefail
id=${1:-${NBKIT_RUN_ID:-}}
if ! [[ $id =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$ ]]; then
  echo "prune: give the run id to clean up (argument or NBKIT_RUN_ID); refusing to guess" >&2
  exit 2
fi
sel=(--filter "label=dev.nbkit.run-id=$id")
docker ps -aq "${sel[@]}" | xargs -r docker rm -f >/dev/null
docker volume ls -q "${sel[@]}" | xargs -r docker volume rm -f >/dev/null
# Images still used by a container are kept by the engine.
docker image ls -q "${sel[@]}" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
docker image prune -f --filter label=dev.nbkit.managed=build >/dev/null
