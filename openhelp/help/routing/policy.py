"""The routing policy in one place: how many experts per round, how long an offer stays open, when to escalate.

Every number comes from ``settings.ROUTING`` (hours for durations) with the defaults in programmes.rules
(below routing, so the programme page can show them), so an organisation can tune the policy without
touching code. An ask scoped to a programme follows that programme's
rules where it sets them (experts per round, promised response, matching weights; see programmes.rules):
pass ``programme=ask.programme`` — ``None`` means the site policy.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights
from openhelp.directory.programmes.rules import offers_per_round as programme_offers
from openhelp.directory.programmes.rules import response_hours, weight_overrides
from openhelp.directory.programmes.rules import routing_hours as _hours
from openhelp.directory.programmes.rules import routing_setting as setting


def weights(programme=None):
    """The scorer's weights: matching's defaults, overridden by ROUTING["WEIGHTS"] (e.g. {"load": 1}),
    then by the programme's own matching weights."""
    overrides = {**setting("WEIGHTS"), **weight_overrides(programme)}
    return Weights.from_mapping(overrides) if overrides else DEFAULT_WEIGHTS


def offers_per_round(programme=None) -> int:
    chosen = programme_offers(programme)
    return max(int(chosen if chosen is not None else setting("OFFERS_PER_ROUND")), 1)


def offer_window(urgency: str) -> dt.timedelta:
    """How long one expert has to answer an offer: 'today' → 2 h, 'this week' → 24 h, … by default."""
    return _hours("OFFER_WINDOW", urgency)


def promised_response(urgency: str, programme=None) -> dt.timedelta:
    """How soon the mentee was promised an answer (shown as the estimated wait)."""
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
