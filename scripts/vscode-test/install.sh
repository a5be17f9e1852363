#!/usr/bin/env bash
# Installs what the in-VS-Code tests need: code-server (the real VS Code server + workbench) and Debian's Chromium.
# Idempotent: on a prepared machine it only checks and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEST=${VSCODE_E2E_DIR:-.vscode-e2e}
# 4.100.3 = VS Code 1.100.3, the last code-server whose engines.node allows Node 20.
CS_VERSION=${CS_VERSION:-4.100.3}

apt_needed=()
command -v chromium >/dev/null || apt_needed+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || apt_needed+=(libkrb5-dev)   # code-server's kerberos module compiles against it
command -v rg >/dev/null || apt_needed+=(ripgrep)                   # stands in for @vscode/ripgrep's GitHub download
command -v git >/dev/null || apt_needed+=(git)
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "vscode-test install: apt packages ${apt_needed[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_needed[@]}" >/dev/null
fi

installed_version() { node -p "require('./$DEST/node_modules/code-server/package.json').version" 2>/dev/null || true; }
if [ "$(installed_version)" = "$CS_VERSION" ] && [ -x "$DEST/node_modules/.bin/code-server" ]; then
  exit 0
fi

# @vscode/ripgrep's postinstall fetches rg from GitHub unless its cache already holds the tarball.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TGZ" ]; then
  mkdir -p "$RG_CACHE"
  staging=$(mktemp -d)
  cp "$(command -v rg)" "$staging/rg"
  tar czf "$RG_TGZ" -C "$staging" rg
  rm -rf "$staging"
fi

mkdir -p "$DEST"
[ -f "$DEST/package.json" ] || echo '{"name":"patchpilot-vscode-e2e-tools","private":true}' > "$DEST/package.json"
echo "vscode-test install: code-server@$CS_VERSION into $DEST (about two minutes)"
# unsafe_perm: code-server's postinstall refuses to run as root without it; yes: node-pty's postinstall runs npx node-gyp.
(cd "$DEST" && npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION")
echo "vscode-test install: code-server $(installed_version) ready"
