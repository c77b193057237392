#!/bin/sh
# Install what the single sign-on tests run as real identity providers, once:
# - node `oidc-provider` (OpenID Connect provider, pinned) into .venv/sso-oidc (npm), for the OIDC tests;
# - the `xmlsec1` binary (apt), which pysaml2 calls to sign the test SAML IdP's responses.
# A second run, or an offline run once both are present, does nothing. Needs Node.js 18+ and npm;
# apt needs root (CI images run as root; elsewhere install xmlsec1 by hand).
set -eu

cd "$(dirname "$0")/.."
PREFIX="${SSO_OIDC_DIR:-.venv/sso-oidc}"
SPEC="oidc-provider@9.13.3"

oidc_installed() {
    manifest="$PREFIX/node_modules/oidc-provider/package.json"
    [ -f "$manifest" ] && grep -q "\"version\": *\"${SPEC##*@}\"" "$manifest"
}

if ! oidc_installed; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "npm is missing: install Node.js 18+ (e.g. apt-get install -y nodejs npm)" >&2
        exit 1
    fi
    echo "Installing $SPEC into $PREFIX (npm)…" >&2
    mkdir -p "$PREFIX"
    [ -f "$PREFIX/package.json" ] || echo '{"private": true, "type": "module"}' >"$PREFIX/package.json"
    npm install --prefix "$PREFIX" --save-exact --no-audit --no-fund --loglevel=error "$SPEC" >&2
    oidc_installed
fi

if ! command -v xmlsec1 >/dev/null 2>&1; then
    if [ "$(id -u)" != "0" ]; then
        echo "xmlsec1 is missing: apt-get install -y xmlsec1 (needs root)" >&2
        exit 1
    fi
    echo "Installing xmlsec1 (apt)…" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends xmlsec1 >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends xmlsec1 >&2; }
fi
