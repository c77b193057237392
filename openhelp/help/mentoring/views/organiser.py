"""For organisers: session figures (counts only — never notes, feedback or who said what) and the people
whose booking is paused for no-shows, with a way to lift the pause."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from openhelp.help.mentoring import attendance
from openhelp.help.mentoring.figures import PERIOD_DAYS, figures
from openhelp.help.mentoring.forms import LiftForm
from openhelp.platform.lib.clock import now


def _require_organiser(request: HttpRequest) -> None:
    if not request.user.is_organiser:
        raise Http404


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
