#!/bin/sh
# Installs code-server extensions from Open VSX, each pinned by version and checked by
# sha256. Arguments: publisher.name@version=sha256 ...
# An empty sha256 falls back to the checksum Open VSX publishes next to the file, with
# a warning: that guards against a broken download, not against a changed release.
set -eu

curl_ca=""
if [ -s /run/secrets/ca.pem ]; then
	curl_ca="--cacert /run/secrets/ca.pem"
fi

for spec in "$@"; do
	id=${spec%%@*}
	rest=${spec#*@}
	version=${rest%%=*}
	want=${rest#*=}
	publisher=${id%%.*}
	name=${id#*.}
	file="${id}-${version}.vsix"
	url="https://open-vsx.org/api/${publisher}/${name}/${version}/file/${file}"
	# shellcheck disable=SC2086
	curl -fsSL $curl_ca --retry 3 -o "/tmp/${file}" "$url"
	if [ -z "$want" ]; then
		echo "WARNING: no pinned sha256 for ${id}@${version}; using Open VSX's ${url%.vsix}.sha256" >&2
		# shellcheck disable=SC2086
		want=$(curl -fsSL $curl_ca --retry 3 "${url%.vsix}.sha256" | cut -d' ' -f1)
	fi
	got=$(sha256sum "/tmp/${file}" | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		echo "${id}@${version}: sha256 of $url is $got, expected $want" >&2
		echo "fix: update the extension's *_SHA256 build arg in images/codeserver-python/Dockerfile" >&2
		exit 1
	fi
	# CODE_SERVER_CONFIG (from the codeserver image) sends it to /opt/code-server/extensions.
	code-server --install-extension "/tmp/${file}"
	rm -f "/tmp/${file}"
done
code-server --list-extensions --show-versions
# Any uid with gid 0 may update or remove them later.
chmod -R g+rwX /opt/code-server/extensions
# code-server keeps a copy of each VSIX in its user data dir and its logs under
# ~/.local/share/code-server: neither belongs in the image.
rm -rf /tmp/code-server "$HOME/.local/share/code-server"
rmdir "$HOME/.local/share" "$HOME/.local" 2>/dev/null || true
