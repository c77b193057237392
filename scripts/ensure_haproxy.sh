#!/bin/sh
# Install Debian's HAProxy when it is missing, for the test of the cluster balancer's retry rules
# (tests/cluster/test_balancer_retries.py). Debian starts the packaged service on install; the test runs its
# own instance on its own ports, so the packaged one is stopped again.
set -eu

if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "HAProxy is missing; install it with: sudo apt-get install -y haproxy" >&2
    exit 1
fi

echo "Installing HAProxy (apt-get install haproxy)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends haproxy >&2
service haproxy stop >/dev/null 2>&1 || true
