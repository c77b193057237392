"""A programme's rules, each falling back to the site default when the programme leaves it empty.

``programme=None`` always means the site defaults, so callers pass ``ask.programme`` or
``office_hours.programme`` without checking. The site defaults live in settings.ROUTING (via routing.policy),
settings.OFFICE_HOURS and settings.NO_SHOW_POLICY.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

URGENCY_FIELDS = {
    "today": "response_hours_today",
    "this_week": "response_hours_this_week",
    "flexible": "response_hours_flexible",
}
DEFAULT_NO_SHOW_POLICY = {"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60}
DEFAULT_LATE_CANCEL_HOURS = 24


def weight_names() -> list[str]:
    from matching.scorer import Weights

    return [item.name for item in fields(Weights)]


def clean_matching_weights(value: Any) -> dict[str, float]:
    """Check a weights override ({"load": 1.0}) against matching.scorer.Weights; a clear error otherwise."""
    from matching.scorer import Weights

    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(
            {"matching_weights": ['Give the weights as an object of names and numbers, e.g. {"load": 1.0}.']}
        )
    known = weight_names()
    problems: list[str] = []
    unknown = sorted(name for name in value if name not in known)
    if unknown:
        problems.append(f"Unknown weight name(s): {', '.join(unknown)}. Known names: {', '.join(known)}.")
    cleaned: dict[str, float] = {}
    for name, number in value.items():
        if name in unknown:
            continue
        if isinstance(number, bool) or not isinstance(number, int | float):
            problems.append(f"“{name}” must be a number.")
        elif not math.isfinite(number) or number < 0:
            problems.append(f"“{name}” must be zero or more (got {number}).")
        else:
            cleaned[name] = float(number)
    if not problems:
        try:
            Weights.from_mapping(cleaned)
        except (ValueError, TypeError) as error:
            problems.append(f"These weights do not work together: {error}.")
    if problems:
        raise ValidationError({"matching_weights": problems})
    return cleaned


# --- Routing -----------------------------------------------------------------------------------------


def offers_per_round(programme=None) -> int | None:
    """How many experts an ask is offered to at once, or None to use the site default."""
    return getattr(programme, "offers_per_round", None)


def response_hours(programme, urgency: str) -> int | None:
    """The promised response time for this urgency (hours), or None to use the site default."""
    name = URGENCY_FIELDS.get(urgency)
    return getattr(programme, name, None) if name else None


def weight_overrides(programme=None) -> dict[str, float]:
    return dict(getattr(programme, "matching_weights", None) or {})


# --- Office hours and attendance -------------------------------------------------------------------


def late_cancel_window(programme=None) -> dt.timedelta:
    """A cancellation this close to the start is recorded as late."""
    hours = getattr(programme, "late_cancel_hours", None)
    if hours is None:
        hours = getattr(settings, "OFFICE_HOURS", {}).get("LATE_CANCEL_HOURS", DEFAULT_LATE_CANCEL_HOURS)
    return dt.timedelta(hours=hours)


def no_show_policy(programme=None) -> dict[str, int]:
    """{"MAX_NO_SHOWS": n, "WINDOW_DAYS": d}: the site's policy with the programme's overrides."""
    rules = {**DEFAULT_NO_SHOW_POLICY, **getattr(settings, "NO_SHOW_POLICY", {})}
    if getattr(programme, "no_show_max", None) is not None:
        rules["MAX_NO_SHOWS"] = programme.no_show_max
    if getattr(programme, "no_show_window_days", None) is not None:
        rules["WINDOW_DAYS"] = programme.no_show_window_days
    return rules


def summary(programme) -> list[tuple[str, str]]:
    """The rules as (label, value) rows for the programme page, saying which are site defaults."""
    from routing import policy

    def hours(value: int | None, default: dt.timedelta) -> str:
        if value is None:
            return f"{int(default.total_seconds() // 3600)} h (site default)"
        return f"{value} h"

    rows = [
        (
            f"Promised response ({label})",
            hours(response_hours(programme, urgency), policy.promised_response(urgency)),
        )
        for urgency, label in (("today", "today"), ("this_week", "this week"), ("flexible", "flexible"))
    ]
    per_round = offers_per_round(programme)
    rows.append(
        (
            "Experts offered an ask at once",
            str(per_round) if per_round is not None else f"{policy.offers_per_round()} (site default)",
        )
    )
    overrides = weight_overrides(programme)
    rows.append(
        (
            "Matching weights",
            ", ".join(f"{k} = {v:g}" for k, v in sorted(overrides.items())) or "site default",
        )
    )
    late = programme.late_cancel_hours
    rows.append(("Late-cancel window", hours(late, late_cancel_window(None))))
    site = no_show_policy(None)
    mine = no_show_policy(programme)
    inherited = programme.no_show_max is None and programme.no_show_window_days is None
    rows.append(
        (
            "No-show policy",
            f"{mine['MAX_NO_SHOWS']} missed sessions within {mine['WINDOW_DAYS']} days pause booking"
            + (" (site default)" if inherited and mine == site else ""),
        )
    )
    return rows
