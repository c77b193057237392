"""The query-count guard: a list must cost the same number of queries at 10 rows and at 500."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


def assert_constant_queries(
    *, grow: Callable[[int], None], action: Callable[[], object], small: int = 10, large: int = 500
) -> None:
    """``grow(n)`` adds n more rows; ``action()`` renders the list. Fails when queries grow with rows."""
    grow(small)
    at_small = count_queries(action)
    grow(large - small)
    at_large = count_queries(action)
    assert at_small == at_large, f"N+1: {at_small} queries at {small} rows but {at_large} at {large} rows"
