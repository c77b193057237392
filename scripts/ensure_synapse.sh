#!/bin/sh
# Install Synapse, the Matrix homeserver the Matrix bot's end-to-end tests talk to, into a virtualenv
# of its own (never the project's .venv: Synapse pins its own Twisted and friends). Once: a second run,
# or a run offline once it is installed, does nothing. Needs Python 3.9+ and PyPI.
set -eu

cd "$(dirname "$0")/.."
PREFIX="${SYNAPSE_VENV:-.venv-synapse}"
VERSION="${SYNAPSE_VERSION:-1.163.2}"
PYTHON="${SYNAPSE_PYTHON:-python3}"

installed() {
    [ -x "$PREFIX/bin/python" ] || return 1
    "$PREFIX/bin/python" -c "import sys; from importlib.metadata import version; sys.exit(version('matrix-synapse') != '$VERSION')" 2>/dev/null
}

if installed; then
    exit 0
fi

echo "Installing matrix-synapse==$VERSION into $PREFIX (pip)…" >&2
"$PYTHON" -m venv "$PREFIX"
"$PREFIX/bin/python" -m pip install --quiet --disable-pip-version-check "matrix-synapse==$VERSION" >&2
installed
