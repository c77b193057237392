"""A programme's rules, each falling back to the site default when the programme leaves it empty.

``programme=None`` always means the site defaults, so callers pass ``ask.programme`` or
``office_hours.programme`` without checking. The site defaults live in settings.ROUTING (with the
defaults below; routing.policy applies them), settings.OFFICE_HOURS and settings.NO_SHOW_POLICY.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from openhelp.directory.matching.scorer import Weights
from openhelp.directory.matching.weight_labels import CONSTANT_LABELS, SIGNAL_LABELS

URGENCY_FIELDS = {
    "today": "response_hours_today",
    "this_week": "response_hours_this_week",
    "flexible": "response_hours_flexible",
}
DEFAULT_LATE_CANCEL_HOURS = 24


def weight_names() -> list[str]:
    return [item.name for item in fields(Weights)]


def clean_matching_weights(value: Any) -> dict[str, float]:
    """Check a weights override ({"load": 1.0}) against matching.scorer.Weights; a clear error otherwise."""
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

# The site's routing policy (routing.policy applies it, with a programme's overrides below).
ROUTING_DEFAULTS: dict[str, Any] = {
    "OFFERS_PER_ROUND": 3,
    "OFFER_WINDOW": {"today": 2, "this_week": 24, "flexible": 72},
    "PROMISED_RESPONSE": {"today": 4, "this_week": 48, "flexible": 120},
    "ESCALATE_AFTER_ROUNDS": 2,
    "MAX_ROUNDS": 6,
    # Escalate once this share of the promised response time has passed without an accept.
    "ESCALATE_AT_FRACTION": 0.75,
    # Remind a mentor when this share of the offer window is left.
    "EXPIRING_SOON_FRACTION": 0.25,
    # The usual pool asks for "has done it a few times" or better; the widened pool takes anyone.
    "MIN_LEVEL": 2,
    "WIDENED_MIN_LEVEL": 1,
    "SUGGESTIONS_SHOWN": 5,
    # Candidates read in detail and scored per ask: the strongest skill fits, however large the directory.
    # 300 keeps one ranking under 100 ms at 100,000 mentors (docs/benchmarks.md, matching latency).
    "SHORTLIST": 300,
    # Overrides of matching.scorer.Weights, e.g. {"load": 1.0, "fresh_perspective": 0}.
    "WEIGHTS": {},
}


def routing_setting(key: str) -> Any:
    """One number (or table) of the site's routing policy: settings.ROUTING, else the default above."""
    return getattr(settings, "ROUTING", {}).get(key, ROUTING_DEFAULTS[key])


def routing_hours(table_key: str, urgency: str) -> dt.timedelta:
    table = routing_setting(table_key)
    hours = table.get(urgency, ROUTING_DEFAULTS[table_key].get(urgency, 24))
    return dt.timedelta(hours=hours)


def offers_per_round(programme=None) -> int | None:
    """How many experts an ask is offered to at once, or None to use the site default."""
    return getattr(programme, "offers_per_round", None)


def response_hours(programme, urgency: str) -> int | None:
    """The promised response time for this urgency (hours), or None to use the site default."""
    name = URGENCY_FIELDS.get(urgency)
    return getattr(programme, name, None) if name else None


def weight_overrides(programme=None) -> dict[str, float]:
    return dict(getattr(programme, "matching_weights", None) or {})


def site_weights() -> dict[str, float]:
    """What each weight a programme leaves empty falls back to: matching's defaults with the site's
    ROUTING["WEIGHTS"] over them (routing.policy ranks with the same)."""
    return asdict(Weights.from_mapping(routing_setting("WEIGHTS")))


def weight_label(name: str) -> str:
    return (SIGNAL_LABELS.get(name) or CONSTANT_LABELS[name]).label


# --- Office hours and attendance -------------------------------------------------------------------


def late_cancel_window(programme=None) -> dt.timedelta:
    """A cancellation this close to the start is recorded as late."""
    hours = getattr(programme, "late_cancel_hours", None)
    if hours is None:
        hours = getattr(settings, "OFFICE_HOURS", {}).get("LATE_CANCEL_HOURS", DEFAULT_LATE_CANCEL_HOURS)
    return dt.timedelta(hours=hours)


def no_show_policy(programme=None) -> dict[str, int]:
    """{"MAX_NO_SHOWS": n, "WINDOW_DAYS": d}: the site's policy with the programme's overrides."""
    rules = dict(settings.NO_SHOW_POLICY)  # the site defaults live there, and only there
    if getattr(programme, "no_show_max", None) is not None:
        rules["MAX_NO_SHOWS"] = programme.no_show_max
    if getattr(programme, "no_show_window_days", None) is not None:
        rules["WINDOW_DAYS"] = programme.no_show_window_days
    return rules


def site_defaults() -> dict[str, int]:
    """What each rule a programme may leave empty falls back to: the site's own value, by field name."""
    hours = {
        name: int(routing_hours("PROMISED_RESPONSE", urgency).total_seconds() // 3600)
        for urgency, name in URGENCY_FIELDS.items()
    }
    site = no_show_policy(None)
    return {
        **hours,
        "offers_per_round": max(int(routing_setting("OFFERS_PER_ROUND")), 1),
        "late_cancel_hours": int(late_cancel_window(None).total_seconds() // 3600),
        "no_show_max": site["MAX_NO_SHOWS"],
        "no_show_window_days": site["WINDOW_DAYS"],
    }


def summary(programme) -> list[tuple[str, str]]:
    """The rules as (label, value) rows for the programme page, saying which are site defaults."""

    def hours(value: int | None, default: dt.timedelta) -> str:
        if value is None:
            return f"{int(default.total_seconds() // 3600)} h (site default)"
        return f"{value} h"

    rows = [
        (
            f"Promised response ({label})",
            hours(response_hours(programme, urgency), routing_hours("PROMISED_RESPONSE", urgency)),
        )
        for urgency, label in (("today", "today"), ("this_week", "this week"), ("flexible", "flexible"))
    ]
    per_round = offers_per_round(programme)
    site_offers_per_round = max(int(routing_setting("OFFERS_PER_ROUND")), 1)
    rows.append(
        (
            "Experts offered an ask at once",
            str(per_round) if per_round is not None else f"{site_offers_per_round} (site default)",
        )
    )
    overrides = weight_overrides(programme)
    rows.append(
        (
            "Matching weights",
            ", ".join(f"{weight_label(name)} {value:g}" for name, value in sorted(overrides.items()))
            or "site default",
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
