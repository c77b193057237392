#!/bin/sh
# Install Debian's Chromium for the browser tests when it is missing. No other browser download:
# Playwright drives this system binary (executable_path), so `playwright install` is never needed.
set -eu

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing at $CHROMIUM; install it with: sudo apt-get install -y chromium" >&2
    exit 1
fi

echo "Installing Chromium (apt-get install chromium)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends chromium >&2
test -x "$CHROMIUM"
