"""The instant every test starts at when hunting clock dependence (``--clock`` / ``OTH_TEST_CLOCK``)."""

from __future__ import annotations

import datetime as dt

import pytest

CLOCK_ENV = "OTH_TEST_CLOCK"


def clock_instant(config) -> dt.datetime | None:
    """The ``--clock`` instant, or None when the run keeps the real clock; a usage error without an offset."""
    value = config.getoption("--clock")
    if not value:
        return None
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock / {CLOCK_ENV} needs an offset, e.g. {value}Z")
    return instant
