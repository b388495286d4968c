#!/bin/sh
# The pip part of the common set of every *-full image (include: [full-extras]),
# pinned in requirements.txt next to this script. It runs as the notebook user,
# so /opt/venv keeps its owner, from a bind mount of the build context, with
# the optional corporate CA at /run/secrets/ca.pem:
#   RUN --mount=type=secret,id=ca,target=/run/secrets/ca.pem,mode=0444 \
#       --mount=type=bind,source=_include/full-extras,target=/tmp/nbkit-include/full-extras \
#       /tmp/nbkit-include/full-extras/install.sh
set -eu
export HOME=/tmp/nbkit-build-home
if [ -r /run/secrets/ca.pem ]; then export PIP_CERT=/run/secrets/ca.pem; fi
cd "$(dirname "$0")"
pip install --no-cache-dir -r requirements.txt
rm -rf /tmp/nbkit-build-home
