"""Organisers' session figures over a recent period: counts only — never notes, feedback or who said what.
Shown on the organisers' sessions page and served by the API (``GET /api/v1/sessions/organiser/figures/``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q

from openhelp.help.mentoring.models import Debrief, Outcome, Session, SessionState

PERIOD_DAYS = 30
# Fewer ratings than this and an average would point at the few people behind it.
MIN_RATINGS_FOR_AVERAGE = 5


def figures(*, since: dt.datetime) -> dict[str, Any]:
    sessions = Session.objects.filter(created_at__gte=since).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(state=SessionState.COMPLETED)),
        cancelled=Count("pk", filter=Q(state=SessionState.CANCELLED)),
    )
    debriefs = Debrief.objects.filter(session__created_at__gte=since)
    outcomes = dict(
        debriefs.exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    ratings = debriefs.filter(rating__isnull=False).aggregate(n=Count("pk"), average=Avg("rating"))
    return {
        **sessions,
        "outcomes": [(label, outcomes.get(value, 0)) for value, label in Outcome.choices],
        "outcome_counts": {value: outcomes.get(value, 0) for value, _ in Outcome.choices},
        "ratings": ratings["n"],
        "average_rating": ratings["average"] if ratings["n"] >= MIN_RATINGS_FOR_AVERAGE else None,
        "published": debriefs.filter(published_at__isnull=False).count(),
    }
