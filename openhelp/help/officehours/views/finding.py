"""Finding a slot: a mentor's public office-hours page, and "Office hours this week" across mentors."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openhelp.help.officehours.availability import OpenSlot, open_slots, skill_filter
from openhelp.help.officehours.forms import WeekFilterForm
from openhelp.help.officehours.grid import week_grid
from openhelp.help.officehours.models import OfficeHours
from openhelp.platform.lib.clock import now

SLOTS_PER_PAGE = 60


def _blocks(viewer):
    return (
        OfficeHours.objects.open_to(viewer)
        .filter(is_active=True, mentor__is_active=True)
        .select_related("mentor__profile")
        .prefetch_related("skills")
    )


def by_day(
    slots: list[OpenSlot],
) -> list[tuple[dt.date, list[tuple[object, list[tuple[OfficeHours, list[OpenSlot]]]]]]]:
    """Slots by the viewer's local date (the active time zone), then by mentor, then by block, each in
    order of its first slot: the page names a mentor (and their zone) once per day, not on every slot."""
    tz = timezone.get_current_timezone()
    days = []
    for day, group in groupby(slots, key=lambda s: s.start.astimezone(tz).date()):
        mentors: dict[int, tuple[object, dict[int, tuple[OfficeHours, list[OpenSlot]]]]] = {}
        for slot in group:
            _, blocks = mentors.setdefault(slot.office_hours.mentor_id, (slot.office_hours.mentor, {}))
            blocks.setdefault(slot.office_hours.pk, (slot.office_hours, []))[1].append(slot)
        days.append((day, [(mentor, list(blocks.values())) for mentor, blocks in mentors.values()]))
    return days


@login_required
@require_GET
def mentor_page(request: HttpRequest, user_id: int) -> HttpResponse:
    """A mentor's office hours as a week grid in the viewer's zone, with the previous and next weeks."""
    mentor = get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id, is_active=True)
    blocks = list(_blocks(request.user).filter(mentor=mentor))
    grid = week_grid(
        blocks,
        week=request.GET.get("week"),
        tz=timezone.get_current_timezone(),
        moment=now(),
        viewer=request.user,
    )
    profile = getattr(mentor, "profile", None)
    return render(
        request,
        "officehours/mentor.html",
        {
            "mentor": mentor,
            "profile": profile,
            "blocks": blocks,
            "grid": grid,
            "several_blocks": len(blocks) > 1,
            "is_me": mentor.pk == request.user.pk,
            "paused": profile.is_paused() if profile is not None else False,
        },
    )


def _fits_working_hours(slot: OpenSlot, profile) -> bool:
    tz = timezone.get_current_timezone()
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    return (
        start.date() == end.date()
        and profile.working_hours_start <= start.time()
        and end.time() <= profile.working_hours_end
    ) or (end.time() == dt.time(0, 0) and profile.working_hours_start <= start.time())


@login_required
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    """Every mentor's open slots in the next seven days, filtered by skill, day, language and zone fit."""
    form = WeekFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    blocks = _blocks(request.user)
    unknown_skill = False
    if filters.get("skill"):
        condition = skill_filter(filters["skill"], viewer=request.user)
        if condition is None:
            unknown_skill = True
            blocks = blocks.none()
        else:
            blocks = blocks.filter(condition)
    if filters.get("language"):
        blocks = blocks.filter(mentor__profile__languages=filters["language"])
    moment = now()
    slots = open_slots(
        list(blocks.distinct()), start=moment, end=moment + dt.timedelta(days=7), viewer=request.user
    )
    tz = timezone.get_current_timezone()
    if filters.get("day"):
        slots = [s for s in slots if s.start.astimezone(tz).date() == filters["day"]]
    profile = getattr(request.user, "profile", None)
    if filters.get("fit") and profile is not None:
        slots = [s for s in slots if _fits_working_hours(s, profile)]
    slots = [s for s in slots if s.office_hours.mentor_id != request.user.pk]
    page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "officehours/week.html",
        {
            "form": form,
            "page": page,
            "days": by_day(list(page.object_list)),
            "count": len(slots),
            "unknown_skill": unknown_skill,
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        },
    )
