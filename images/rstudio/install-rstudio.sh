#!/bin/sh
# Downloads RStudio Server's .deb for this architecture, checks its pinned sha256, and
# installs it with its dependencies from the Debian mirror. Reads RSTUDIO_VERSION and
# RSTUDIO_SHA256_<ARCH> (build args) from the environment.
set -eu

curl_ca=""
if [ -s /run/secrets/ca.pem ]; then
	# TLS-intercepting proxy: its CA comes in as a build secret, for this step only.
	curl_ca="--cacert /run/secrets/ca.pem"
fi

arch=$(dpkg --print-architecture)
case "$arch" in
	amd64)
		url="https://download2.rstudio.org/server/jammy/amd64/rstudio-server-${RSTUDIO_VERSION}-amd64.deb"
		sha256="$RSTUDIO_SHA256_AMD64" ;;
	arm64)
		url="https://s3.amazonaws.com/rstudio-ide-build/server/jammy/arm64/rstudio-server-${RSTUDIO_VERSION}-arm64.deb"
		sha256="$RSTUDIO_SHA256_ARM64" ;;
	*)
		echo "RStudio Server: Posit publishes no build for $arch" >&2; exit 1 ;;
esac
if [ -z "$sha256" ]; then
	echo "RStudio Server ${RSTUDIO_VERSION} ${arch}: no pinned sha256" >&2
	echo "fix: set RSTUDIO_SHA256_$(echo "$arch" | tr a-z A-Z) in images/rstudio/Dockerfile to the sha256 Posit lists for $url" >&2
	exit 1
fi
# shellcheck disable=SC2086 # curl_ca is either empty or two words
curl -fsSL $curl_ca --retry 3 -o /tmp/rstudio-server.deb "$url"
got=$(sha256sum /tmp/rstudio-server.deb | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
	echo "RStudio Server ${RSTUDIO_VERSION} ${arch}: sha256 of $url is $got, expected $sha256" >&2
	exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/rstudio-server.deb
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/rstudio-server.deb
