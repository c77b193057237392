#!/bin/sh
# Install what `make cluster` runs that pip does not provide: HAProxy (the balancer), PgBouncer (the
# connection pooler), PostgreSQL's cluster tools and Redis. Each is installed once, from Debian's packages;
# the second run does nothing. Nothing is started here (scripts/cluster/cluster.py starts everything).
set -eu

missing=""
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing="$missing haproxy"
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing="$missing pgbouncer"
command -v pg_createcluster >/dev/null 2>&1 || missing="$missing postgresql"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Missing:$missing; install with: sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "Installing$missing (apt-get install)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086 - one word per package
apt-get install -y -q --no-install-recommends $missing >&2
# Debian starts a packaged service on install; the cluster runs its own instances on its own ports.
for service in $missing; do
    case "$service" in
        haproxy | pgbouncer) service "$service" stop >/dev/null 2>&1 || true ;;
    esac
done
