#!/usr/bin/env bash
# Installs the command sandbox the tests exercise for real: bubblewrap (bwrap) from the distribution's packages.
# Idempotent; on a machine without apt it says what to install and the sandbox tests skip (CI requires them).
set -euo pipefail
[ "$(uname -s)" = Linux ] || exit 0
command -v bwrap >/dev/null && exit 0
if command -v apt-get >/dev/null; then
  echo "sandbox install: apt package bubblewrap"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bubblewrap >/dev/null
else
  echo "sandbox install: bubblewrap is not installed (dnf install bubblewrap / pacman -S bubblewrap); the sandbox tests will be skipped"
fi
