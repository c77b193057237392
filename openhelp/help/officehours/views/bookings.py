"""Booking pages: book a slot (or join its waiting list), the confirmation page, the invite download,
cancel and reschedule. Only the mentor and the mentee of a booking ever see it; anyone else gets a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.help.mentoring.models import Session
from openhelp.help.officehours import booking as booking_service
from openhelp.help.officehours import changes, waitlist
from openhelp.help.officehours.availability import open_slots, parse_slot_key, slot_key
from openhelp.help.officehours.calendar import invite
from openhelp.help.officehours.errors import BookingConflict, SlotFull
from openhelp.help.officehours.forms import BookingForm, ReasonForm, RescheduleForm
from openhelp.help.officehours.models import Booking, BookingState, OfficeHours, WaitlistEntry, WaitlistState
from openhelp.help.officehours.sessions import session_for_booking
from openhelp.help.officehours.views import attempt
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.forms import add_service_errors
from openhelp.platform.lib.locking import LockTimeout


def _block(block_id: int, viewer) -> OfficeHours:
    return get_object_or_404(
        OfficeHours.objects.open_to(viewer).select_related("mentor__profile"),
        pk=block_id,
        is_active=True,
        mentor__is_active=True,
    )


def _slot_of(block: OfficeHours, key: str, viewer):
    start = parse_slot_key(key)
    if start is None:
        raise Http404
    found = [s for s in open_slots([block], start=start, end=start + dt.timedelta(seconds=1), viewer=viewer)]
    return start, (found[0] if found else None)


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, block_id: int, start: str) -> HttpResponse:
    block = _block(block_id, request.user)
    moment, slot = _slot_of(block, start, request.user)
    form = BookingForm(request.POST or None, mentee=request.user, mentor_id=block.mentor_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_service.book_slot(
                mentee=request.user,
                office_hours=block,
                start=moment,
                topic=data["topic"],
                question=data["question"],
                ask=data.get("ask"),
            )
        except SlotFull as error:
            messages.error(request, str(error))
            status = 409
        except (BookingConflict, LockTimeout) as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You're booked. A confirmation is on its way by e-mail.")
            return redirect("officehours:booking", booking.pk)
        slot = _slot_of(block, start, request.user)[1]
    if request.method == "POST" and form.errors and status == 200:
        status = 400
    if slot is None and request.method == "GET":
        status = 404
    return _book_page(request, block, moment, slot, form, status=status)


def _book_page(request: HttpRequest, block: OfficeHours, moment, slot, form, *, status: int) -> HttpResponse:
    return render(
        request,
        "officehours/book.html",
        {
            "oh": block,
            "slot": slot,
            "start": moment,
            "form": form,
            "is_me": block.mentor_id == request.user.pk,
        },
        status=status,
    )


@login_required
@require_POST
def waitlist_join(request: HttpRequest, block_id: int, start: str) -> HttpResponse:
    block = _block(block_id, request.user)
    moment, slot = _slot_of(block, start, request.user)
    form = BookingForm(request.POST, mentee=request.user, mentor_id=block.mentor_id)
    if form.is_valid():
        data = form.cleaned_data
        _, ok = attempt(
            request,
            lambda: waitlist.join_waitlist(
                mentee=request.user,
                office_hours=block,
                start=moment,
                topic=data["topic"],
                question=data["question"],
            ),
            form=form,
        )
        if ok:
            messages.success(
                request, "You're on the waiting list. If a seat frees up, it's yours and we'll tell you."
            )
            return redirect("officehours:mine")
        # A seat freed up (or the slot went) meanwhile: the page shows what the slot is now.
        slot = _slot_of(block, start, request.user)[1]
    # Bad input stays on the page, next to its field, with everything typed kept (the booking form too,
    # when a seat freed up meanwhile).
    return _book_page(request, block, moment, slot, form, status=409 if form.is_valid() else 400)


@login_required
@require_POST
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitlistEntry, pk=pk, mentee=request.user, state=WaitlistState.WAITING)
    waitlist.leave_waitlist(entry=entry, actor=request.user)
    messages.success(request, "You left the waiting list.")
    return redirect("officehours:mine")


def _visible_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.involving(request.user).select_related(
            "mentor__profile", "mentee__profile", "slot__office_hours", "cancelled_by__profile", "ask"
        ),
        pk=pk,
    )


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _visible_booking(request, pk)
    changeable = booking.state == BookingState.CONFIRMED and booking.start > now()
    return render(
        request,
        "officehours/booking.html",
        {
            "booking": booking,
            "is_mentor": booking.mentor_id == request.user.pk,
            "other": booking.other_side(request.user),
            "history": list(booking.events.select_related("actor__profile")),
            "changeable": changeable,
            "mentor_zone": booking.slot.office_hours.timezone if booking.slot.office_hours_id else None,
        },
    )


@login_required
@require_GET
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _visible_booking(request, pk)
    response = HttpResponse(invite(booking, viewer=request.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _visible_booking(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, ok = attempt(
            request,
            lambda: changes.cancel_booking(
                booking=booking, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            form=form,
        )
        if ok:
            messages.success(request, "The booking is cancelled and the other person is told.")
            return redirect("officehours:booking", booking.pk)
    late = booking.start - now() < changes.late_window(booking.slot.office_hours.programme)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "officehours/cancel.html", {"booking": booking, "form": form, "late": late}, status=status
    )


def _reschedule_choices(booking: Booking, viewer) -> tuple[list, dict]:
    blocks = list(
        OfficeHours.objects.filter(mentor_id=booking.mentor_id, is_active=True).select_related(
            "mentor__profile"
        )
    )
    moment = now()
    weeks = max((b.horizon_weeks for b in blocks), default=1)
    slots = [
        s
        for s in open_slots(
            blocks, start=moment, end=moment + dt.timedelta(weeks=weeks, days=1), viewer=viewer
        )
        if not s.is_full
        and not (s.start == booking.start and s.office_hours.pk == booking.slot.office_hours_id)
    ]
    by_value = {f"{s.office_hours.pk}:{s.key}": s for s in slots}
    return [(value, value) for value in by_value], by_value


@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _visible_booking(request, pk)
    choices, slots = _reschedule_choices(booking, booking.mentee)
    form = RescheduleForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = slots[form.cleaned_data["slot"]]
        _, ok = attempt(
            request,
            lambda: changes.reschedule_booking(
                booking=booking,
                actor=request.user,
                office_hours=chosen.office_hours,
                start=chosen.start,
                reason=form.cleaned_data["reason"],
            ),
            form=form,
            mapping={"start": "slot", "office_hours": "slot"},
        )
        if ok:
            messages.success(request, "The booking is moved and the other person is told.")
            return redirect("officehours:booking", booking.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "officehours/reschedule.html",
        {"booking": booking, "form": form, "slots": slots, "slot_key": slot_key(booking.start)},
        status=status,
    )


@login_required
@require_GET
def booking_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The session page of a booking (made now if the worker has not made it yet)."""
    booking = get_object_or_404(Booking.objects.involving(request.user), pk=pk)
    session = Session.objects.involving(request.user).filter(booking=booking).first()
    session = session or session_for_booking(booking)
    if session is None or not session.is_participant(request.user):
        raise Http404
    return redirect("mentoring:detail", session.pk)
