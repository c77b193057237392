"""A moment as a person reads it: in their own zone, with the zone named ("Sun 6 Dec, 11:00 CET").

Templates get the same with ``{{ moment|date:"D j M, H:i T" }}``: the time-zone middleware activates the
viewer's zone. This is for text built in Python (a notification to someone else, a timeline note).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openhelp.platform.lib.clock import now

# How workflows write a UTC moment into stored text (timeline notes): "2026-12-06 10:00 UTC".
UTC_IN_TEXT = re.compile(r"\b(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) UTC\b")


def zone(tz_name: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(tz_name) if tz_name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_label(moment: dt.datetime, tz_name: str | None) -> str:
    """'Sun 6 Dec, 11:00 CET' in ``tz_name`` (UTC when unknown); the year only when it is not this one."""
    local = moment.astimezone(zone(tz_name))
    year = f" {local.year}" if local.year != now().astimezone(local.tzinfo).year else ""
    abbreviation = local.tzname() or ""
    if abbreviation[:1] in "+-":  # a zone without a letter abbreviation: "UTC-03" reads better than "-03"
        offset = local.strftime("%z")
        abbreviation = f"UTC{offset[:3]}" + (f":{offset[3:]}" if offset[3:] != "00" else "")
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M} {abbreviation}".rstrip()


def localise_utc_in_text(text: str, tz_name: str | None) -> str:
    """Every "2026-12-06 10:00 UTC" in ``text`` rewritten as the reader's local label."""

    def replace(match: re.Match[str]) -> str:
        moment = dt.datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}+00:00")
        return local_label(moment, tz_name)

    return UTC_IN_TEXT.sub(replace, text)
