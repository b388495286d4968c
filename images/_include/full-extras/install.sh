#!/bin/sh
# The pip part of the common set of every *-full image (include: [full-extras]),
# pinned in requirements.txt next to this script. It runs as the notebook user,
# so /opt/venv keeps its owner, from a bind mount of the build context, with
# the optional corporate CA at /run/secrets/ca.pem:
#   RUN --mount=type=secret,id=ca,target=/run/secrets/ca.pem,mode=0444 \
#       --mount=type=bind,source=_include/full-extras,target=/mnt /mnt/install.sh
# A bind mount adds no layer, and /mnt exists already, so no empty mountpoint
# stays in the image (the BuildKit of Docker 20.10 keeps one it created).
set -eu
export HOME=/tmp/nbkit-build-home
if [ -r /run/secrets/ca.pem ]; then export PIP_CERT=/run/secrets/ca.pem; fi
cd "$(dirname "$0")"
pip install --no-cache-dir -r requirements.txt
rm -rf /tmp/nbkit-build-home
