#!/bin/sh
# Installs code-server from the npm registry on Debian's Node.js, without reaching
# GitHub or nodejs.org. Runs in the build stage of the Dockerfile, as root.
#
# It does by hand what code-server's own postinstall.sh does, because under
# `npm install --global` that script's nested `npm install` inherits
# npm_config_global=true and tries to install lib/vscode as a global package
# (ENOENT / TAR_ENTRY_ERROR under lib/vscode). See docs/codeserver-notes.md.
#
# Usage: install-code-server.sh VERSION SHA256
set -eu

version="$1"
sha256="$2"

# The build may pass the host's CA bundle as a secret (TLS-intercepting proxies).
# It is only mounted for this RUN step, so it never lands in a layer.
if [ -s /run/secrets/ca.pem ]; then
	export NODE_EXTRA_CA_CERTS=/run/secrets/ca.pem npm_config_cafile=/run/secrets/ca.pem
fi
# Node headers come from libnode-dev instead of a download from nodejs.org.
export npm_config_nodedir=/usr
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

work=$(mktemp -d)
cd "$work"
if ! npm pack --loglevel=error "code-server@${version}" >/dev/null 2>"$work/pack.err"; then
	cat "$work/pack.err" >&2
	if [ ! -s /run/secrets/ca.pem ] && grep -Eq 'SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER|local issuer' "$work/pack.err"; then
		echo "hint: the npm registry is reached through a TLS-intercepting proxy whose CA this build does not trust;" >&2
		echo "      pass it to the build: nbkit build --ca-bundle /etc/ssl/certs/ca-certificates.crt (make images does)" >&2
	fi
	exit 1
fi
tarball="code-server-${version}.tgz"
got=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
	echo "code-server@${version}: sha256 of $tarball is $got, expected $sha256" >&2
	echo "fix: update CODESERVER_SHA256 in images/codeserver/Dockerfile after checking the release" >&2
	exit 1
fi

# 1. code-server and its own dependencies (pinned by its npm-shrinkwrap.json);
#    scripts are run below, so the postinstall never starts its nested install.
npm install --global --unsafe-perm --ignore-scripts "./$tarball"
root="$(npm root --global)/code-server"
cd "$root"
# argon2 (node-pre-gyp) would fetch a prebuilt binary from GitHub first: build it.
npm_config_build_from_source=true npm rebuild --foreground-scripts argon2

# 2. VS Code's dependencies (pinned by lib/vscode/npm-shrinkwrap.json).
cd "$root/lib/vscode"
npm install --unsafe-perm --omit=dev --ignore-scripts
# @vscode/ripgrep's postinstall downloads rg from GitHub unless its bin/ exists:
# use Debian's ripgrep instead.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
# node-pty's postinstall runs `npx node-gyp` (only to write compile_commands.json),
# which would fetch the newest node-gyp from npm: give it Debian's.
mkdir -p node_modules/node-pty/node_modules/.bin
ln -sf /usr/bin/node-gyp node_modules/node-pty/node_modules/.bin/node-gyp
# build_from_source: kerberos would try prebuild-install (a GitHub download) before
# node-gyp; with the flag nothing is fetched at all. It also makes @parcel/watcher
# compile itself (~40 s) instead of using its prebuilt package from npm.
npm_config_build_from_source=true npm rebuild --foreground-scripts
rm -rf node_modules/node-pty/node_modules/.bin

# 3. The rest of postinstall.sh: asar symlink, CLI helper scripts, extension deps.
ln -sfn node_modules node_modules.asar
ln -sf code-linux.sh bin/remote-cli/code-server
ln -sf browser-linux.sh bin/helpers/browser.sh
cd extensions
npm install --unsafe-perm --omit=dev

# Build intermediates are not needed at run time.
find "$root" -depth -type d -path '*/build/Release/obj.target' -exec rm -rf {} +
find "$root" -depth -type d -path '*/build/Release/.deps' -exec rm -rf {} +
rm -rf "$work" /root/.npm
