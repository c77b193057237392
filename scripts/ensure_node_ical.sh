#!/bin/sh
# Install the two JavaScript iCalendar readers the calendar tests compare against (ical.js, as in
# Thunderbird and many web calendars, and node-ical) into the virtualenv, once. Pinned versions; a
# second run, or a run offline once they are installed, does nothing. Needs Node.js 18+ and npm.
set -eu

cd "$(dirname "$0")/.."
PREFIX="${NODE_ICAL_DIR:-.venv/node-ical}"
PACKAGES="ical.js@2.2.1 node-ical@0.27.2"

installed() {
    for spec in $PACKAGES; do
        name="${spec%@*}"
        version="${spec##*@}"
        manifest="$PREFIX/node_modules/$name/package.json"
        [ -f "$manifest" ] || return 1
        grep -q "\"version\": *\"$version\"" "$manifest" || return 1
    done
}

if installed; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js 18+ (e.g. sudo apt-get install -y nodejs npm)" >&2
    exit 1
fi

echo "Installing $PACKAGES into $PREFIX (npm)…" >&2
mkdir -p "$PREFIX"
# A package.json of its own keeps npm from walking up to another project's.
[ -f "$PREFIX/package.json" ] || echo '{"private": true}' >"$PREFIX/package.json"
# shellcheck disable=SC2086 # the package list is meant to split into words
npm install --prefix "$PREFIX" --save-exact --no-audit --no-fund --loglevel=error $PACKAGES >&2
installed
