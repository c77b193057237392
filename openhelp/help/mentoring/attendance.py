"""Attendance after a call, the reliability figure it feeds, and the no-show pause on booking.

Each participant may say, once the planned end has passed, that the session happened or that the other
person did not come. A no-show counts against someone unless they themselves said it happened (a
disputed session counts for nobody; an organiser can look at it). Late cancellations come from office
hours, which records them on the booking.

The pause: settings.NO_SHOW_POLICY (by default ``{"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60}``). Whoever has
that many counted no-shows within the window cannot book until they drop out of the window or an
organiser lifts the pause (a lift forgives the no-shows reported before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from openhelp.directory.programmes.rules import no_show_policy
from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.models import (
    Attendance,
    AttendanceKind,
    BookingPauseLift,
    Session,
    SessionFormat,
    SessionState,
)
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.services import notify

MAX_LIFT_NOTE = 300


def policy(programme=None) -> dict[str, int]:
    """The site's no-show policy, or the one of the programme the booked office hours belong to."""
    if programme is not None:
        return no_show_policy(programme)
    return dict(settings.NO_SHOW_POLICY)


# --- Reporting ---------------------------------------------------------------------------------------


def report_attendance(*, session: Session, reporter, kind: str) -> Attendance:
    """Say the session happened, or that the other person did not come (after the planned end).

    Saying it again replaces one's own earlier statement (a mistaken click can be put right).
    """
    from openhelp.help.mentoring.services import (  # here: services imports this module
        SessionConflict,
        require_participant,
    )

    require_participant(session, reporter)
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": ["Choose “it happened” or “they did not come”."]})
    if session.format == SessionFormat.ASYNC:
        raise SessionConflict("An async session happens in messages: there is no attendance to report.")
    if session.state == SessionState.CANCELLED:
        raise SessionConflict("This session was cancelled, so there is no attendance to report.")
    if not session.has_ended():
        raise SessionConflict("You can say how it went once the planned end has passed.")
    absent = session.other_side(reporter) if kind == AttendanceKind.NO_SHOW else None
    with transaction.atomic():
        statement, _ = Attendance.objects.update_or_create(
            session=session, reporter=reporter, defaults={"kind": kind, "absent": absent, "created_at": now()}
        )
        if kind == AttendanceKind.HAPPENED:
            lifecycle.complete_session(session=session, actor=reporter, note="The session took place.")
    if absent is not None:
        _tell_absent(session, reporter=reporter, absent=absent)
    return statement


def _tell_absent(session: Session, *, reporter, absent) -> None:
    paused = booking_paused_reason(absent)
    notify(
        event="session.no_show_reported",
        recipients=[absent],
        title=f"{reporter.display_name} says you missed “{session.title}”",
        body=(
            "If it did happen, say so on the session page and it will not count. "
            + (paused or "Repeated no-shows pause booking for a while.")
        ),
        url=reverse("mentoring:detail", args=[session.pk]),
        context={"session_id": session.pk},
        dedupe_key=f"session:{session.pk}:no-show:{absent.pk}",
    )


def statements(session: Session) -> dict[int, Attendance]:
    return {a.reporter_id: a for a in Attendance.objects.filter(session=session)}


# --- Counting ----------------------------------------------------------------------------------------


def counted_no_shows() -> QuerySet[Attendance]:
    """No-show reports that count: not contradicted by the absent person's own "it happened"."""
    contradicted = Attendance.objects.filter(
        session=OuterRef("session"), reporter=OuterRef("absent"), kind=AttendanceKind.HAPPENED
    )
    return Attendance.objects.filter(kind=AttendanceKind.NO_SHOW, absent__isnull=False).exclude(
        Exists(contradicted)
    )


@dataclass(frozen=True)
class Reliability:
    attended: int
    total: int
    no_shows: int
    late_cancellations: int

    def __str__(self) -> str:
        if not self.total and not self.late_cancellations:
            return "no past sessions yet"
        text = f"attended {self.attended} of {self.total}"
        if self.late_cancellations:
            plural = "s" if self.late_cancellations != 1 else ""
            text += f", {self.late_cancellations} late cancellation{plural}"
        return text


def reliability_for(user) -> Reliability:
    """ "attended 12 of 12, 1 late cancellation": past calls (as mentee or mentor), counted no-shows, and
    bookings this person cancelled late."""
    past = (
        Session.objects.filter(Q(mentee=user) | Q(mentor=user), ends_at__lte=now())
        .exclude(format=SessionFormat.ASYNC)
        .exclude(state=SessionState.CANCELLED)
    )
    total = past.count()
    no_shows = counted_no_shows().filter(absent=user, session__in=past).count()
    # Through the relation office hours declares (a layer above): bookings this person cancelled late.
    late = user.bookings_cancelled.filter(late_cancellation=True).count()
    return Reliability(
        attended=max(total - no_shows, 0), total=total, no_shows=no_shows, late_cancellations=late
    )


# --- The no-show pause -------------------------------------------------------------------------------


def _latest_lift(user_ref) -> Subquery:
    return Subquery(
        BookingPauseLift.objects.filter(user=user_ref).order_by("-created_at").values("created_at")[:1]
    )


def _counting_since(programme=None) -> dt.datetime:
    return now() - dt.timedelta(days=policy(programme)["WINDOW_DAYS"])


def no_shows_counting_towards_pause(user, programme=None) -> int:
    """Counted no-shows of this person in the window and after their latest lift, in one query (it runs
    before every booking)."""
    return (
        counted_no_shows()
        .filter(absent=user, created_at__gt=_counting_since(programme))
        .annotate(lifted_at=_latest_lift(user.pk))
        .filter(Q(lifted_at__isnull=True) | Q(created_at__gt=F("lifted_at")))
        .count()
    )


def booking_paused_reason(user, programme=None) -> str | None:
    """Why this person cannot book right now, in words for them — or None when they can.

    With ``programme`` (the booked office hours' programme) that programme's no-show policy applies.
    """
    if user is None or not user.is_authenticated:
        return None
    rules = policy(programme)
    missed = no_shows_counting_towards_pause(user, programme)
    if missed < rules["MAX_NO_SHOWS"]:
        return None
    return (
        f"Booking is paused: {missed} sessions in the last {rules['WINDOW_DAYS']} days were reported as "
        "missed without cancelling. It resumes on its own as they get older, or an organiser can lift "
        "it — if something went wrong, tell them."
    )


def paused_people() -> list[tuple[object, int]]:
    """Everyone whose booking is paused right now, with their counted no-shows (for organisers)."""
    rows = (
        counted_no_shows()
        .filter(created_at__gt=_counting_since())
        .annotate(lifted_at=_latest_lift(OuterRef("absent")))
        .filter(Q(lifted_at__isnull=True) | Q(created_at__gt=F("lifted_at")))
        .values("absent")
        .annotate(missed=Count("pk"))
        .filter(missed__gte=policy()["MAX_NO_SHOWS"])
        .order_by("-missed", "absent")
    )
    counts = {row["absent"]: row["missed"] for row in rows}
    people = get_user_model().objects.select_related("profile").in_bulk(list(counts))
    return [(people[pk], counts[pk]) for pk in counts if pk in people]


def lift_pause(*, user, organiser, note: str = "") -> BookingPauseLift:
    """An organiser lets someone book again; the no-shows reported so far stop counting."""
    if organiser is None or not getattr(organiser, "is_organiser", False):
        raise PermissionDenied("Only organisers can lift a booking pause.")
    note = " ".join((note or "").split())
    if len(note) > MAX_LIFT_NOTE:
        raise ValidationError({"note": [f"Keep the note under {MAX_LIFT_NOTE} characters."]})
    return BookingPauseLift.objects.create(user=user, lifted_by=organiser, note=note)
