"""Scheduling an accepted call ask: the mentee picks a free office-hours slot of the expert or one of the
times the expert proposed; the expert proposes up to three times."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from openhelp.help.asks.models import Ask, AskState
from openhelp.help.officehours import ask_scheduling
from openhelp.help.officehours.availability import open_slots, parse_slot_key
from openhelp.help.officehours.booking import book_slot
from openhelp.help.officehours.forms import ProposeTimesForm
from openhelp.help.officehours.models import OfficeHours, ProposedTime
from openhelp.help.officehours.views import attempt
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import id_from_text


def _slots_for(ask: Ask, viewer):
    blocks = list(
        OfficeHours.objects.filter(mentor_id=ask.helper_id, is_active=True).select_related("mentor__profile")
    )
    moment = now()
    weeks = max((b.horizon_weeks for b in blocks), default=1)
    end = moment + dt.timedelta(weeks=weeks, days=1)
    return [s for s in open_slots(blocks, start=moment, end=end, viewer=viewer) if not s.is_full]


@login_required
@require_http_methods(["GET", "POST"])
def ask_schedule(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = get_object_or_404(
        Ask.objects.involving(request.user).select_related("mentee__profile", "helper__profile"), pk=ask_id
    )
    is_mentee, is_helper = ask.mentee_id == request.user.pk, ask.helper_id == request.user.pk
    schedulable = ask.is_call and ask.state == AskState.ACCEPTED and ask.helper_id is not None
    form = ProposeTimesForm(request.POST if is_helper and "propose" in request.POST else None)
    if request.method == "POST" and schedulable:
        if is_mentee and request.POST.get("slot"):
            done = _pick_slot(request, ask)
        elif is_mentee and request.POST.get("proposed_time"):
            done = _pick_proposed(request, ask)
        elif is_helper and form.is_valid():
            data = form.cleaned_data
            _, done = attempt(
                request,
                lambda: ask_scheduling.propose_times(
                    ask=ask,
                    actor=request.user,
                    starts=[data["time_1"], data.get("time_2"), data.get("time_3")],
                    location=data["location"],
                ),
                form=form,
                mapping={"starts": "time_1"},
            )
            if done:
                messages.success(request, "Your times are sent; you'll hear when one is chosen.")
        else:
            done = False
        if done:
            return redirect("officehours:ask-schedule", ask.pk)
    return render(
        request,
        "officehours/ask_schedule.html",
        {
            "ask": ask,
            "is_mentee": is_mentee,
            "is_helper": is_helper,
            "schedulable": schedulable,
            "slots": _slots_for(ask, request.user) if schedulable and is_mentee else [],
            "proposal": ask_scheduling.open_proposal(ask) if schedulable else None,
            "booking": ask_scheduling.confirmed_booking_for(ask),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _pick_slot(request: HttpRequest, ask: Ask) -> bool:
    block_id, _, key = request.POST["slot"].partition(":")
    block = OfficeHours.objects.filter(pk=id_from_text(block_id) or 0, mentor_id=ask.helper_id).first()
    start = parse_slot_key(key)
    if block is None or start is None:
        messages.error(request, "Choose one of the listed slots.")
        return False
    booking, ok = attempt(
        request,
        lambda: book_slot(
            mentee=request.user,
            office_hours=block,
            start=start,
            topic=ask.title[:120],
            question=(ask.preparation_questions or [""])[0],
            ask=ask,
        ),
    )
    if ok:
        messages.success(request, "Booked: the call is scheduled and your expert is told.")
    return ok


def _pick_proposed(request: HttpRequest, ask: Ask) -> bool:
    proposal = ask_scheduling.open_proposal(ask)
    chosen = ProposedTime.objects.filter(
        pk=id_from_text(request.POST["proposed_time"]) or 0,
        proposal=proposal,
    ).first()
    if proposal is None or chosen is None:
        messages.error(request, "Those times are no longer open.")
        return False
    _, ok = attempt(
        request,
        lambda: ask_scheduling.choose_proposed_time(
            proposal=proposal, actor=request.user, proposed_time=chosen
        ),
    )
    if ok:
        messages.success(request, "The call is scheduled and your expert is told.")
    return ok
