"""The Redis cache while Redis is unreachable (openhelp/platform/lib/cache.py): reads miss, writes are
dropped, pages keep working, and login throttling fails closed."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.test import override_settings

from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.cache import ResilientRedisCache


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


def _unreachable() -> dict:
    return {
        "default": {
            "BACKEND": "openhelp.platform.lib.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def down_cache():
    """The default cache pointed at a port where no Redis listens (Django's test signals rebuild the
    cache handlers when CACHES changes)."""
    with override_settings(CACHES=_unreachable()):
        yield cache


def test_every_operation_degrades_instead_of_raising(down_cache):
    from django.core.cache import caches

    assert isinstance(caches["default"], ResilientRedisCache)
    assert down_cache.get("k", "default") == "default"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.add("k", 1) is False
    down_cache.set("k", 1)
    down_cache.set_many({"a": 1})
    assert down_cache.has_key("k") is False
    assert down_cache.touch("k") is False
    assert down_cache.delete("k") is False
    down_cache.delete_many(["a"])
    assert down_cache.incr("k") == 0
    down_cache.clear()


def test_our_rate_limits_fail_open(down_cache):
    assert ratelimit.remaining("kudos:1:today", limit=20) == 20
    ratelimit.count("kudos:1:today", window_seconds=60)  # no error


@pytest.mark.django_db
def test_login_throttling_fails_closed(down_cache, client, owner, password):
    response = client.post("/accounts/login/", {"login": owner.email, "password": password})
    assert response.status_code == 429  # allauth's "too many requests": refused, not let in
    assert "_auth_user_id" not in client.session
