#!/bin/sh
# The common data-science set, all from Debian. jupyter-scipy and every *-full
# image include this folder (include: [scipy-stack] in image.yaml) and run
# this script as root from a bind mount of the build context:
#   RUN --mount=type=bind,source=_include/scipy-stack,target=/mnt /mnt/install.sh
# A bind mount adds no layer, and /mnt exists already, so no empty mountpoint
# stays in the image (the BuildKit of Docker 20.10 keeps one it created).
set -eu
export HOME=/root DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  python3-ipywidgets \
  python3-matplotlib \
  python3-numpy \
  python3-pandas \
  python3-scipy \
  python3-seaborn \
  python3-skimage \
  python3-sklearn \
  python3-statsmodels \
  python3-sympy \
  python3-xgboost
apt-get clean
rm -rf /var/lib/apt/lists/*
