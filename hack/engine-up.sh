#!/usr/bin/env bash
# Installs (Debian/Ubuntu, as root) and starts a Docker engine suited to hosts with
# no bridge networking: no docker0, no iptables, BuildKit allowed to use host networking.
# Idempotent: returns at once when an engine already answers.
set -euo pipefail

sock=${NBKIT_DOCKER_SOCK:-/var/run/docker.sock}
state=${NBKIT_STATE_DIR:-/var/lib/nbkit}

engine_ok() { docker -H "unix://$sock" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_ok; then
  echo "engine: already running ($(docker -H "unix://$sock" version --format '{{.Server.Version}}'))"
  exit 0
fi

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || need_pkgs+=(mmdebstrap)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "engine: no Docker engine reachable at $sock and cannot install one here." >&2
    echo "engine: install Docker (or Podman with its Docker-compatible socket) and mmdebstrap, then retry." >&2
    exit 1
  fi
  echo "engine: installing ${need_pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

mkdir -p "$state"
cat >"$state/daemon.json" <<'JSON'
{"builder":{"entitlements":{"network-host":true}}}
JSON
args=(--config-file "$state/daemon.json" -H "unix://$sock" --bridge=none --iptables=false --ip6tables=false)
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
   && [ -z "${NBKIT_ENGINE_NO_SYSTEMD:-}" ]; then
  # Under systemd the engine is a unit of its own: it outlives this shell and
  # restarts with the host, like any system service.
  unit=/etc/systemd/system/nbkit-dockerd.service
  cat >"$unit" <<UNIT
[Unit]
Description=Docker engine for nbkit (no bridge, no iptables, BuildKit host network)
After=network-online.target containerd.service
[Service]
ExecStart=$(command -v dockerd) ${args[*]}
Restart=on-failure
[Install]
WantedBy=multi-user.target
UNIT
  echo "engine: starting dockerd as systemd unit nbkit-dockerd (journalctl -u nbkit-dockerd)"
  systemctl daemon-reload
  systemctl start nbkit-dockerd
  systemctl show -p MainPID --value nbkit-dockerd >"$state/dockerd.pid"
else
  # A session of its own (setsid), so the Ctrl-C that ends `make up`'s
  # notebook, or the terminal closing, never reaches the engine: only the
  # notebook stops, gracefully, and other containers keep running.
  echo "engine: starting dockerd (log: $state/dockerd.log)"
  setsid nohup dockerd "${args[@]}" </dev/null >"$state/dockerd.log" 2>&1 &
  echo $! >"$state/dockerd.pid"
fi
for _ in $(seq 1 120); do
  if engine_ok; then
    echo "engine: ready ($(docker -H "unix://$sock" version --format '{{.Server.Version}}'), pid $(cat "$state/dockerd.pid"))"
    exit 0
  fi
  sleep 0.5
done
echo "engine: dockerd did not answer within 60 s; last log lines:" >&2
tail -n 30 "$state/dockerd.log" >&2
exit 1
