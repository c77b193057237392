"""For organisers: session figures (counts only — never notes, feedback or who said what) and the people
whose booking is paused for no-shows, with a way to lift the pause."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from openhelp.help.mentoring import attendance
from openhelp.help.mentoring.forms import LiftForm
from openhelp.help.mentoring.models import Debrief, Outcome, Session, SessionState
from openhelp.platform.lib.clock import now

PERIOD_DAYS = 30
# Fewer ratings than this and an average would point at the few people behind it.
MIN_RATINGS_FOR_AVERAGE = 5


def _require_organiser(request: HttpRequest) -> None:
    if not request.user.is_organiser:
        raise Http404


def figures(*, since: dt.datetime) -> dict:
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
        "ratings": ratings["n"],
        "average_rating": ratings["average"] if ratings["n"] >= MIN_RATINGS_FOR_AVERAGE else None,
        "published": debriefs.filter(published_at__isnull=False).count(),
    }


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    return render(
        request,
        "mentoring/organiser.html",
        {
            "figures": figures(since=now() - dt.timedelta(days=PERIOD_DAYS)),
            "period_days": PERIOD_DAYS,
            "paused": attendance.paused_people(),
            "policy": attendance.policy(),
            "lift_form": LiftForm(),
        },
    )


@login_required
@require_POST
def lift(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_organiser(request)
    person = get_object_or_404(get_user_model(), pk=user_id)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("mentoring:organiser")
    try:
        attendance.lift_pause(user=person, organiser=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.display_name} can book again.")
    return redirect("mentoring:organiser")
