#!/usr/bin/env bash
# Removes what tests may leave behind in the engine: nbkit-labelled containers and
# volumes, dangling images, build cache older than a day. Never touches unlabelled objects.
set -uo pipefail
docker ps -aq --filter label=dev.nbkit.managed | xargs -r docker rm -f >/dev/null
docker volume ls -q --filter label=dev.nbkit.managed | xargs -r docker volume rm >/dev/null
docker image prune -f >/dev/null
docker builder prune -f --filter until=24h >/dev/null 2>&1 || true
# Relay images are keyed by the binary that made them (each test binary makes
# one); images still used by a container are kept by the engine.
docker image ls -q --filter label=dev.nbkit.managed=relay | xargs -r docker rmi >/dev/null 2>&1 || true
docker image ls -q --filter label=dev.nbkit.managed=test | xargs -r docker rmi -f >/dev/null 2>&1 || true
