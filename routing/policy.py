"""The routing policy in one place: how many experts per round, how long an offer stays open, when to escalate.

Every number comes from ``settings.ROUTING`` (hours for durations) with the defaults below, so an
organisation can tune the policy without touching code. An ask scoped to a programme follows that programme's
rules where it sets them (experts per round, promised response, matching weights; see programmes.rules):
pass ``programme=ask.programme`` — ``None`` means the site policy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULTS: dict[str, Any] = {
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


def setting(key: str) -> Any:
    return getattr(settings, "ROUTING", {}).get(key, DEFAULTS[key])


def _hours(table_key: str, urgency: str) -> dt.timedelta:
    table = setting(table_key)
    hours = table.get(urgency, DEFAULTS[table_key].get(urgency, 24))
    return dt.timedelta(hours=hours)


def weights(programme=None):
    """The scorer's weights: matching's defaults, overridden by ROUTING["WEIGHTS"] (e.g. {"load": 1}),
    then by the programme's own matching weights."""
    from matching.scorer import DEFAULT_WEIGHTS, Weights
    from programmes.rules import weight_overrides

    overrides = {**setting("WEIGHTS"), **weight_overrides(programme)}
    return Weights.from_mapping(overrides) if overrides else DEFAULT_WEIGHTS


def offers_per_round(programme=None) -> int:
    from programmes.rules import offers_per_round as programme_offers

    chosen = programme_offers(programme)
    return max(int(chosen if chosen is not None else setting("OFFERS_PER_ROUND")), 1)


def offer_window(urgency: str) -> dt.timedelta:
    """How long one expert has to answer an offer: 'today' → 2 h, 'this week' → 24 h, … by default."""
    return _hours("OFFER_WINDOW", urgency)


def promised_response(urgency: str, programme=None) -> dt.timedelta:
    """How soon the mentee was promised an answer (shown as the estimated wait)."""
    from programmes.rules import response_hours

    hours = response_hours(programme, urgency)
    return dt.timedelta(hours=hours) if hours is not None else _hours("PROMISED_RESPONSE", urgency)


def escalation_due_at(*, urgency: str, since: dt.datetime, programme=None) -> dt.datetime:
    return since + promised_response(urgency, programme) * float(setting("ESCALATE_AT_FRACTION"))


def expiring_soon_at(*, created_at: dt.datetime, expires_at: dt.datetime) -> dt.datetime:
    return expires_at - (expires_at - created_at) * float(setting("EXPIRING_SOON_FRACTION"))


def needed_by_deadline(needed_by: dt.date, tz_name: str) -> dt.datetime:
    """The end of the 'needed by' day where the mentee lives (so 'by Friday' includes all of Friday)."""
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return dt.datetime.combine(needed_by + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
