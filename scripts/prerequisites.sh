#!/usr/bin/env bash
# Installs, or explains how to install, what the demo and the tests need on a fresh Debian machine:
# the .NET 10 SDK (must already be there), Chromium (browser tests), zbar-tools (QR decoding), Node with npm (the
# independent JOSE check of slip tokens), openssl, wrk.
# Usage: scripts/prerequisites.sh [demo|test]
set -euo pipefail
need="${1:-test}"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run this again." >&2
  exit 2
fi

packages=()
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v curl >/dev/null 2>&1 || packages+=(curl)
if [ "$need" = test ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  command -v zbarimg >/dev/null 2>&1 || packages+=(zbar-tools)
  # Node runs the `jose` package, an independent JOSE implementation that checks slip tokens.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  # Not grep -q: it would stop reading early, fc-list would die of SIGPIPE and pipefail would call the fonts missing.
  fc-list 2>/dev/null | grep -i dejavu >/dev/null || packages+=(fonts-dejavu-core)
fi
if [ "$need" = bench ]; then
  command -v wrk >/dev/null 2>&1 || packages+=(wrk)
fi

if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "Missing: ${packages[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 2
  fi
fi

if [ "$need" = test ]; then
  # The `jose` package for the slip tests, at the version its lock file pins, from the npm registry.
  jose_check="$(dirname "$0")/../Kiosk.Tests/Slips/jose-check"
  if [ ! -d "$jose_check/node_modules/jose" ]; then
    echo "Installing the jose package for the slip tests (npm ci)"
    npm ci --prefix "$jose_check" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
