"""The one rate limiter: a counter per key in the cache, counted after each success, checked before.

    key = f"recognition:kudos:{giver.pk}:{today}"
    if remaining(key, limit=kudos_per_day()) <= 0:
        raise KudosRateLimited()
    ...do it...
    count(key, window_seconds=24 * 3600)

The window starts with the first counted action (or is part of the key, like a day). Two actions in the
same instant may both pass the check; being one over the limit is harmless for what we limit (kudos,
skill proposals, introductions), and checking before counting keeps failed attempts free.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError

RATE_LIMITED = "rate_limited"


class RateLimited(ValidationError):
    """An action refused because its limit for the window is used up; the message says what and until
    when, in words for the person. The API answers any ValidationError with this code 429
    (``openhelp.platform.api.errors``); pages show the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=RATE_LIMITED)


def is_rate_limited(error: ValidationError) -> bool:
    return getattr(error, "code", None) == RATE_LIMITED


def used(key: str) -> int:
    """How many actions were counted under this key in its current window."""
    return int(cache.get(key) or 0)


def remaining(key: str, *, limit: int) -> int:
    """How many more actions this key allows in its current window (never negative)."""
    return max(0, limit - used(key))


def count(key: str, *, window_seconds: int, amount: int = 1) -> None:
    """Count ``amount`` actions; the first in a window starts it (the key expires ``window_seconds`` later)."""
    if cache.add(key, amount, timeout=window_seconds):
        return
    try:
        cache.incr(key, amount)
    except ValueError:  # expired between add() and incr()
        cache.set(key, amount, timeout=window_seconds)
