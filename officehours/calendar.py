"""iCalendar (RFC 5545) for bookings: the invite in e-mails, the "add to calendar" download, and each
person's private feed.

One event per booking. Its UID never changes; SEQUENCE is the booking's sequence, raised by every
reschedule and by the cancellation, so a calendar client always knows which version is newest. Times
carry the mentor's zone (TZID plus its VTIMEZONE), so a client in another zone converts correctly.
User text (topics, names, places) is escaped by the icalendar library and stripped of control
characters, so a topic containing a line break and "ATTENDEE:" stays text inside one property.
The feed carries no preparation question, private note or message text: only what and when.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from lib.clock import now
from officehours.models import Booking, BookingState
from officehours.slots import zone

PRODID = "-//Open to Help//Office hours//EN"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FEED_PAST = dt.timedelta(days=7)
FEED_LIMIT = 500


def clean(text: str) -> str:
    """User text made safe for a TEXT value: no control characters; line breaks kept as "\\n"."""
    return CONTROL_CHARACTERS.sub(" ", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "open-to-help"
    return f"booking-{booking.uid}@{host}"


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("officehours:booking", args=[booking.pk])


def event_zone(booking: Booking) -> str:
    slot = booking.slot
    if slot.office_hours_id is not None:
        return slot.office_hours.timezone
    profile = getattr(booking.mentor, "profile", None)
    return profile.timezone if profile is not None else "UTC"


def ical_time(moment: dt.datetime, tz_name: str) -> dt.datetime:
    """The moment in the zone's local time, or in UTC when that local time is the second occurrence of a
    repeated hour: RFC 5545 reads an ambiguous local time as the first occurrence, so it would be wrong."""
    local = moment.astimezone(zone(tz_name))
    return moment.astimezone(dt.UTC) if local.fold == 1 else local


def _person(user, *, role: str | None = None) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = clean(user.display_name).replace("\n", " ")
    if role:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "ACCEPTED"
        address.params["RSVP"] = "FALSE"
    return address


def summary_for(booking: Booking, viewer) -> str:
    kind = "Call" if booking.ask_id else "Office hours"
    if viewer is not None and viewer.pk == booking.mentor_id:
        return f"{kind}: {booking.mentee.display_name} — {booking.topic}"
    return f"{kind} with {booking.mentor.display_name}: {booking.topic}"


def booking_event(booking: Booking, *, viewer, private_details: bool, stamp: dt.datetime) -> icalendar.Event:
    tz_name = event_zone(booking)
    event = icalendar.Event()
    event.add("uid", uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", ical_time(booking.start, tz_name))
    event.add("dtend", ical_time(booking.end, tz_name))
    event.add("summary", clean(summary_for(booking, viewer)))
    lines = [f"Topic: {booking.topic}"]
    if private_details and booking.question:
        lines.append(f"Question: {booking.question}")
    lines.append(f"Details: {booking_url(booking)}")
    event.add("description", clean("\n".join(lines)))
    if booking.location:
        event.add("location", clean(booking.location))
    event.add("url", booking_url(booking))
    cancelled = booking.state == BookingState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if private_details:
        event.add("organizer", _person(booking.mentor))
        event.add("attendee", _person(booking.mentee, role="REQ-PARTICIPANT"))
    return event


def _calendar(method: str | None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", clean(name))
    return cal


def _finish(cal: icalendar.Calendar, bookings: list[Booking]) -> bytes:
    if bookings:
        first = min(b.start for b in bookings).date() - dt.timedelta(days=366)
        last = max(b.end for b in bookings).date() + dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def invite(booking: Booking, *, viewer) -> bytes:
    """A one-event calendar for an e-mail or a download: REQUEST while confirmed, CANCEL once cancelled."""
    method = "CANCEL" if booking.state == BookingState.CANCELLED else "REQUEST"
    cal = _calendar(method)
    cal.add_component(booking_event(booking, viewer=viewer, private_details=True, stamp=now()))
    return _finish(cal, [booking])


def feed_bookings(user, *, moment: dt.datetime | None = None) -> list[Booking]:
    moment = moment or now()
    return list(
        Booking.objects.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
        .filter(state=BookingState.CONFIRMED, end__gte=moment - FEED_PAST)
        .select_related("slot__office_hours", "mentor__profile", "mentee__profile")
        .order_by("start", "pk")[:FEED_LIMIT]
    )


def feed(user, *, moment: dt.datetime | None = None) -> bytes:
    """The person's sessions as mentor and as mentee, from a week ago on."""
    bookings = feed_bookings(user, moment=moment)
    cal = _calendar(None, name=f"{settings.SITE_NAME}: {user.display_name}")
    stamp = now()
    for booking in bookings:
        cal.add_component(booking_event(booking, viewer=user, private_details=False, stamp=stamp))
    return _finish(cal, bookings)
