#!/bin/sh
# Install Debian's Chromium for the browser tests when it is missing. No other browser download:
# Playwright drives these system binaries (executable_path), so `playwright install` is never needed.
# Two packages built from the same Chromium source and release: the headless shell, which the tests drive,
# and the full browser, which walks one journey and takes the README's screenshots (tests/harness/browser.py).
set -eu

if [ -n "${CHROMIUM_PATH:-}" ]; then
    BINARIES="$CHROMIUM_PATH"
else
    BINARIES="/usr/lib/chromium/chromium-headless-shell /usr/bin/chromium"
fi

missing=""
for binary in $BINARIES; do
    [ -x "$binary" ] || missing="$missing $binary"
done
if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing at$missing; install it with: sudo apt-get install -y chromium chromium-headless-shell" >&2
    exit 1
fi

echo "Installing Chromium (apt-get install chromium chromium-headless-shell)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends chromium chromium-headless-shell >&2
for binary in $BINARIES; do
    test -x "$binary"
done
