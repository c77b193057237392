"""lib.ratelimit: count after success, check before; the window starts with the first counted action."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from openhelp.platform.lib import ratelimit

KEY = "tests:ratelimit:person-1"


@pytest.fixture(autouse=True)
def _empty_counter():
    cache.delete(KEY)
    yield
    cache.delete(KEY)


def test_it_counts_actions_and_says_what_is_left():
    assert ratelimit.remaining(KEY, limit=3) == 3
    ratelimit.count(KEY, window_seconds=3600)
    ratelimit.count(KEY, window_seconds=3600)
    assert ratelimit.used(KEY) == 2
    assert ratelimit.remaining(KEY, limit=3) == 1


def test_it_never_says_less_than_nothing_is_left():
    for _ in range(5):
        ratelimit.count(KEY, window_seconds=3600)
    assert ratelimit.remaining(KEY, limit=3) == 0


def test_it_starts_again_when_the_window_has_passed():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        ratelimit.count(KEY, window_seconds=3600)
        ratelimit.count(KEY, window_seconds=3600)
        traveller.shift(dt.timedelta(minutes=59))
        assert ratelimit.used(KEY) == 2
        traveller.shift(dt.timedelta(minutes=2))
        assert ratelimit.used(KEY) == 0
        ratelimit.count(KEY, window_seconds=3600)
        assert ratelimit.used(KEY) == 1
