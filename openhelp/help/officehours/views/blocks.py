"""The mentor's side: my office hours and sessions, the block editor with its live preview, time off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.help.officehours import services
from openhelp.help.officehours.forms import BlockForm, TimeOffForm
from openhelp.help.officehours.models import (
    Booking,
    BookingState,
    OfficeHours,
    TimeOff,
    WaitlistEntry,
    WaitlistState,
)
from openhelp.help.officehours.preview import preview
from openhelp.help.officehours.slots import Rule
from openhelp.help.officehours.views import attempt
from openhelp.platform.lib.clock import now

SESSIONS_SHOWN = 100


def _zone_of(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.timezone if profile is not None else "UTC"


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    moment = now()
    sessions = list(
        Booking.objects.filter(Q(mentor=user) | Q(mentee=user), state=BookingState.CONFIRMED, end__gt=moment)
        .select_related("mentor__profile", "mentee__profile", "slot__office_hours")
        .order_by("start", "pk")[:SESSIONS_SHOWN]
    )
    blocks = list(
        OfficeHours.objects.filter(mentor=user)
        .annotate(
            upcoming=Count(
                "slots__bookings",
                filter=Q(slots__bookings__state=BookingState.CONFIRMED, slots__bookings__start__gt=moment),
            )
        )
        .prefetch_related("skills")
        .order_by("-is_active", "start_time", "pk")
    )
    waiting = list(
        WaitlistEntry.objects.filter(mentee=user, state=WaitlistState.WAITING, slot__start__gt=moment)
        .select_related("slot__mentor__profile", "slot__office_hours")
        .order_by("slot__start")
    )
    time_off = list(
        TimeOff.objects.filter(mentor=user, end_date__gte=moment.date()).select_related("office_hours")
    )
    return render(
        request,
        "officehours/mine.html",
        {"sessions": sessions, "blocks": blocks, "waiting": waiting, "time_off": time_off},
    )


def _preview_for(values: dict):
    """Preview rows for whatever the editor holds that is valid enough to expand, else None."""
    needed = ("weekdays", "start_time", "end_time", "timezone", "slot_minutes")
    if any(not values.get(name) for name in needed) or values["end_time"] <= values["start_time"]:
        return None
    rule = Rule(
        weekdays=frozenset(int(d) for d in values["weekdays"]),
        start_time=values["start_time"],
        end_time=values["end_time"],
        timezone=values["timezone"],
        slot_minutes=values["slot_minutes"],
        buffer_minutes=values.get("buffer_minutes") or 0,
    )
    compare = values.get("compare_timezone") or "UTC"
    return {
        "days": preview(
            rule,
            moment=now(),
            compare_zone=compare,
            notice_minutes=(values.get("min_notice_hours") or 0) * 60,
            horizon_weeks=values.get("horizon_weeks") or 8,
        ),
        "zone": rule.timezone,
        "compare_zone": compare,
        "one_zone": compare == rule.timezone,
    }


def _editor(request: HttpRequest, block: OfficeHours | None) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = BlockForm(request.POST, user=user)
        if form.is_valid() and "preview" not in request.POST:
            saved, ok = attempt(
                request,
                lambda: services.save_block(mentor=user, block=block, **form.block_fields()),
                form=form,
                mapping={"skills": "skill_1", "min_notice_minutes": "min_notice_hours"},
            )
            if ok:
                messages.success(request, "Your office hours are saved.")
                return redirect("officehours:block-edit", saved.pk)
        values = getattr(form, "cleaned_data", {})
    else:
        initial = BlockForm.initial_for(block, timezone=_zone_of(user))
        form = BlockForm(initial=initial, user=user)
        values = {
            "min_notice_hours": 2,
            "horizon_weeks": 2,
            "slot_minutes": 20,
            "buffer_minutes": 5,
            **initial,
        }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "officehours/block_form.html",
        {
            "form": form,
            "oh": block,
            "preview": _preview_for(values),
            "upcoming": services.upcoming_bookings_of(block) if block else 0,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, get_object_or_404(OfficeHours, pk=pk, mentor=request.user))


@login_required
@require_GET
def block_preview(request: HttpRequest) -> HttpResponse:
    """The preview fragment for the editor's script (progressive enhancement: the form works without it)."""
    form = BlockForm(request.GET, user=request.user)
    form.is_valid()
    return render(request, "officehours/_preview.html", {"preview": _preview_for(form.cleaned_data)})


@login_required
@require_POST
def block_delete(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(OfficeHours, pk=pk, mentor=request.user)
    outcome = services.retire_block(block=block, actor=request.user)
    if outcome == "deleted":
        messages.success(request, "The office hours are deleted.")
    else:
        messages.success(request, "These office hours are no longer offered; sessions already booked stay.")
    return redirect("officehours:mine")


@login_required
@require_http_methods(["GET", "POST"])
def time_off(request: HttpRequest) -> HttpResponse:
    form = TimeOffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, ok = attempt(
            request,
            lambda: services.add_time_off(
                mentor=request.user,
                start_date=data["start_date"],
                end_date=data["end_date"],
                block=data["block"],
                note=data["note"],
            ),
            form=form,
            mapping={"office_hours": "block"},
        )
        if ok:
            messages.success(request, "Time off saved: those days offer no slots.")
            return redirect("officehours:time-off")
    rows = TimeOff.objects.filter(mentor=request.user, end_date__gte=timezone.localdate()).select_related(
        "office_hours"
    )
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "officehours/time_off.html", {"form": form, "rows": rows}, status=status)


@login_required
@require_POST
def time_off_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(TimeOff, pk=pk, mentor=request.user).delete()
    messages.success(request, "Time off removed.")
    return redirect("officehours:time-off")
