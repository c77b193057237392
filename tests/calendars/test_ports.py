"""The module ``settings.CALENDAR_BOOKINGS`` names provides what write-back calls, with the same parameters."""

from __future__ import annotations

import inspect

from openhelp.directory.calendars import ports


def test_office_hours_provide_the_bookings_port():
    provider = ports.bookings()
    for name, declared in inspect.getmembers(ports.Bookings, inspect.isfunction):
        if name.startswith("_"):
            continue
        provided = getattr(provider, name)
        wanted = [p.name for p in inspect.signature(declared).parameters.values() if p.name != "self"]
        assert [p.name for p in inspect.signature(provided).parameters.values()] == wanted
