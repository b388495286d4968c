#!/bin/sh
# Installs Miniforge into $CONDA_DIR (pinned by version and sha256 per architecture),
# then ipykernel, as the notebook user. Reads the MINIFORGE_* and IPYKERNEL_VERSION
# build args from the environment.
set -eu

curl_ca=""
if [ -s /run/secrets/ca.pem ]; then
	# TLS-intercepting proxy: its CA comes in as a build secret, for this step only.
	curl_ca="--cacert /run/secrets/ca.pem"
	export CONDA_SSL_VERIFY=/run/secrets/ca.pem
fi

arch=$(dpkg --print-architecture)
case "$arch" in
	amd64) file=Miniforge3-Linux-x86_64.sh; sha256="$MINIFORGE_SHA256_AMD64" ;;
	arm64) file=Miniforge3-Linux-aarch64.sh; sha256="$MINIFORGE_SHA256_ARM64" ;;
	*) echo "Miniforge: no pinned installer for architecture $arch (images/codeserver-python/Dockerfile)" >&2; exit 1 ;;
esac
url="https://github.com/conda-forge/miniforge/releases/download/${MINIFORGE_VERSION}/${file}"
# shellcheck disable=SC2086 # curl_ca is either empty or two words
curl -fsSL $curl_ca --retry 3 -o /tmp/miniforge.sh "$url"
got=$(sha256sum /tmp/miniforge.sh | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
	echo "Miniforge ${MINIFORGE_VERSION} ${arch}: sha256 of $url is $got, expected $sha256" >&2
	echo "fix: check the release's .sha256 file and update MINIFORGE_SHA256_${arch} in images/codeserver-python/Dockerfile" >&2
	exit 1
fi
# -u: install into the existing (empty, user-owned) $CONDA_DIR.
bash /tmp/miniforge.sh -b -u -p "$CONDA_DIR"
rm -f /tmp/miniforge.sh
conda config --system --set auto_update_conda false
conda config --system --set show_channel_urls true
echo "ipykernel ==${IPYKERNEL_VERSION}" >> "$CONDA_DIR/conda-meta/pinned"
conda install -y -q "ipykernel=${IPYKERNEL_VERSION}"
conda clean -a -f -y
# Group-writable for any uid with gid 0 (OpenShift-style random UIDs).
chmod -R g+rwX "$CONDA_DIR"
