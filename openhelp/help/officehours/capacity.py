"""A capacity source for people.capacity: office-hours sessions booked in a week use up the mentor's sessions.

A group slot is one session however many people sit in it. A call booked for an ask is not counted here:
accepting the ask already counted it (routing.capacity).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef

from openhelp.directory.people.capacity import owners
from openhelp.help.officehours.models import Booking, BookingState, Slot


def sessions_from_bookings(
    profile_ids: list[int], week_start: dt.datetime, week_end: dt.datetime
) -> dict[int, int]:
    """Profile id → held office-hours slots starting within [week_start, week_end); one query."""
    own_booking = Booking.objects.filter(
        slot_id=OuterRef("pk"), state=BookingState.CONFIRMED, ask__isnull=True
    )
    rows = Slot.objects.filter(
        held=True, start__gte=week_start, start__lt=week_end, mentor_id__in=owners(profile_ids)
    ).filter(Exists(own_booking))
    wanted = set(profile_ids)
    counts = rows.order_by().values("mentor__profile__id").annotate(n=Count("id"))
    return {row["mentor__profile__id"]: row["n"] for row in counts if row["mentor__profile__id"] in wanted}
