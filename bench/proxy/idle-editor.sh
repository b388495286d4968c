#!/bin/bash
# Does an open but idle VS Code editor let the notebook be culled, and does
# typing keep it alive? Runs the codeserver image (--network none): code-server
# behind the image's own nbproxy service (default floor, on 8888), with a second
# nbproxy chained in front of it so both see the same traffic: the outer one
# counts every websocket byte (-ws-floor 0).
# A headless chromium in the same network namespace opens the workbench,
# stays idle, then opens a terminal and types (bench/proxy/cdp-type.js).
#
# Usage: bench/proxy/idle-editor.sh [idle-seconds]   (default 60)
# Needs the codeserver image (CODESERVER_IMAGE, default nbkit/codeserver:latest);
# builds a chromium image (BROWSER_IMAGE) with host networking if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
idle="${1:-60}"
CS="${CODESERVER_IMAGE:-nbkit/codeserver:latest}"
BR="${BROWSER_IMAGE:-nbkit-bench/proxy-browser:latest}"
L=dev.nbkit.managed=proxy
P=/notebook/bench/idle
docker image inspect "$CS" >/dev/null
if ! docker image inspect "$BR" >/dev/null 2>&1; then
	printf 'FROM debian:trixie-slim\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core curl && rm -rf /var/lib/apt/lists/*\n' |
		DOCKER_BUILDKIT=1 /usr/bin/docker build --network host --label $L -t "$BR" -
fi
tmp=$(mktemp -d)
A="" C="" D=""
trap 'docker rm -f $A $C $D >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/nbproxy" ./cmd/nbproxy

A=$(docker create --label $L --network none -e NB_PREFIX=$P "$CS")
docker start "$A" >/dev/null
proxy() { # name listen backend extra-flags...
	local id
	id=$(docker create --label $L --network "container:$A" -u 1000 -e NB_PREFIX=$P --entrypoint /tmp/nbproxy "$CS" \
		-listen "$2" -backend "$3" -mode codeserver "${@:4}")
	docker cp "$tmp/nbproxy" "$id:/tmp/nbproxy"
	docker cp bench/proxy/cdp-type.js "$id:/tmp/cdp-type.js"
	docker start "$id" >/dev/null
	echo "$id"
}
D=$(proxy outer :8890 127.0.0.1:8888 -ws-floor 0)
# The browser opens the workbench once code-server answers through both proxies.
C=$(docker create --label $L --network "container:$A" --shm-size 256m "$BR" sh -c "
	until curl -sf -o /dev/null http://127.0.0.1:8890$P/; do sleep 1; done
	exec chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--remote-debugging-address=127.0.0.1 --remote-debugging-port=9222 \
		--user-data-dir=/tmp/chromium http://127.0.0.1:8890$P/")
docker start "$C" >/dev/null

field() { docker exec "$C" curl -s "127.0.0.1:$1$P/api/$2" | grep -o "\"$3\":[^,}]*" | cut -d: -f2- | tr -d '"'; }
show() {
	printf '%s  %-28s floor 512: last_activity %s %-5s connections %s | floor 0: last_activity %s\n' \
		"$(date -u +%T)" "$1" "$(field 8888 status last_activity)" "$(field 8888 kernels execution_state)" \
		"$(field 8888 status connections)" "$(field 8890 status last_activity)"
}
for _ in 1 2 3 4 5 6; do sleep 5; show "workbench loading"; done
settled=$(field 8888 status last_activity)
conns=$(field 8888 status connections)
for _ in $(seq 1 $((idle / 10))); do sleep 10; show "editor open, idle"; done
after_idle=$(field 8888 status last_activity)
docker exec "$D" node --experimental-websocket /tmp/cdp-type.js 'ls -la /usr/bin\r'
for _ in 1 2; do show "typed in a terminal"; sleep 2; done
after_typing=$(field 8888 status last_activity)

echo
if [ "$conns" -lt 1 ]; then echo "FAIL the workbench never opened a websocket"; docker logs "$C" 2>&1 | tail -5; exit 1; fi
if [ "$after_idle" = "$settled" ]; then echo "PASS idle editor: last_activity stayed at $settled for ${idle}s"
else echo "FAIL idle editor: last_activity moved from $settled to $after_idle"; fi
if [[ "$after_typing" > "$after_idle" ]]; then echo "PASS typing: last_activity moved to $after_typing"
else echo "FAIL typing: last_activity stayed at $after_typing"; fi
