"""The Redis cache, degraded instead of failing while Redis is unreachable.

Everything the cache holds can be lost: cached pages and reports are recomputed, sessions are written
through to the database (``cached_db``), rate-limit counters start again. So while Redis is down a read
is a miss and a write is dropped (each logged as a warning), and pages keep working.

What that means for each limit (docs/deployment.md, "When Redis is down"):

- **Login throttling fails closed.** allauth takes a lock with ``cache.add`` before it counts a login
  attempt; ``add`` answers False here, so after a second of waiting the attempt counts as throttled and
  the login form says "too many attempts": nobody can guess passwords while the counters are gone.
  People already logged in stay logged in (their session is read from the database).
- The other limits (kudos, introductions, skill proposals, API throttles, SCIM) **fail open**: their
  counters read 0, so for the outage they do not limit. Being over a daily limit for a few minutes is
  harmless for what they protect, and refusing every kudos while Redis restarts is not.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _warn(operation: str, error: Exception) -> None:
    logger.warning("Redis unavailable (%s): %s", operation, error.__class__.__name__)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; while Redis is unreachable, reads miss and writes do nothing."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            _warn("get", error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            _warn("has_key", error)
            return False

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        """False while Redis is down: nothing was added (allauth's throttle lock then fails closed)."""
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            _warn("add", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            _warn("set", error)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            _warn("set_many", error)
            return list(data)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            _warn("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            _warn("delete", error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as error:
            _warn("delete_many", error)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            _warn("incr", error)
            return 0

    def clear(self) -> None:
        try:
            super().clear()
        except UNAVAILABLE as error:
            _warn("clear", error)
