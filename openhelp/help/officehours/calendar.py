"""iCalendar (RFC 5545) for bookings: the invite in e-mails, the "add to calendar" download, and each
person's private feed.

One event per booking. Its UID never changes; SEQUENCE is the booking's sequence, raised by every
reschedule and by the cancellation, so a calendar client always knows which version is newest.

Every instant is written in UTC ("…Z") and the calendar has no VTIMEZONE: a local time in the mentor's
zone is ambiguous in the repeated autumn hour, and clients resolve it (and even read VTIMEZONE
definitions) differently — ical.js and node-ical put such a start an hour late. A UTC instant reads the
same everywhere, and each client shows it in its own zone.

All user text (topics, names, places, the calendar's name) goes through ``text`` or ``parameter``: no
control characters, and a TEXT value is always escaped, whatever type the icalendar library would guess
for the property — so a name or topic with a line break and "ATTENDEE:" stays text inside one property.
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

from openhelp.help.officehours.models import Booking, BookingState
from openhelp.platform.lib.clock import now

PRODID = "-//Open to Help//Office hours//EN"
# C0 and C1 controls and DEL; tab and line feed are handled apart (a tab is white space, a line feed
# is escaped in TEXT and a space in a parameter).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every other way to write a line break, including those Python's str.splitlines() honours.
LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
FEED_PAST = dt.timedelta(days=7)
FEED_LIMIT = 500


def clean(value: str | None) -> str:
    """User text without control characters; every kind of line break becomes "\\n", a tab a space."""
    value = LINE_BREAKS.sub("\n", value or "").replace("\t", " ")
    return CONTROL_CHARACTERS.sub(" ", value)


def text(value: str | None) -> icalendar.vText:
    """A TEXT value (RFC 5545 3.3.11): escaped, line breaks kept as "\\n"."""
    return icalendar.vText(clean(value))


def one_line(value: str | None) -> str:
    """User text for a place that holds one line (a name, a title): white space runs become one space."""
    return " ".join(clean(value).split())


def parameter(value: str | None) -> str:
    """A parameter value such as CN: one line, without the characters clients read back differently.
    A double quote cannot appear in a parameter (RFC 5545 3.1): it becomes an apostrophe. The icalendar
    library writes a caret as RFC 6868's "^^", which some clients decode and others do not: it goes. And
    node-ical splits parameters at every semicolon, even inside quotes: it becomes a comma."""
    return one_line(value.replace('"', "'").replace("^", "").replace(";", ",") if value else "")


def uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "open-to-help"
    return f"booking-{booking.uid}@{host}"


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("officehours:booking", args=[booking.pk])


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _person(user, *, role: str | None = None) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = parameter(user.display_name)
    if role:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "ACCEPTED"
        address.params["RSVP"] = "FALSE"
    return address


def summary_for(booking: Booking, viewer) -> str:
    kind = "Call" if booking.ask_id else "Office hours"
    if viewer is not None and viewer.pk == booking.mentor_id:
        return f"{kind}: {one_line(booking.mentee.display_name)} — {booking.topic}"
    return f"{kind} with {one_line(booking.mentor.display_name)}: {booking.topic}"


def booking_event(booking: Booking, *, viewer, private_details: bool, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", utc(booking.start))
    event.add("dtend", utc(booking.end))
    event.add("summary", text(summary_for(booking, viewer)))
    lines = [f"Topic: {booking.topic}"]
    if private_details and booking.question:
        lines.append(f"Question: {booking.question}")
    lines.append(f"Details: {booking_url(booking)}")
    event.add("description", text("\n".join(lines)))
    if booking.location:
        event.add("location", text(booking.location))
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
        cal.add("x-wr-calname", text(name))
    return cal


def invite(booking: Booking, *, viewer) -> bytes:
    """A one-event calendar for an e-mail or a download: REQUEST while confirmed, CANCEL once cancelled."""
    method = "CANCEL" if booking.state == BookingState.CANCELLED else "REQUEST"
    cal = _calendar(method)
    cal.add_component(booking_event(booking, viewer=viewer, private_details=True, stamp=now()))
    return cal.to_ical()


def feed_bookings(user, *, moment: dt.datetime | None = None) -> list[Booking]:
    moment = moment or now()
    return list(
        Booking.objects.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
        .filter(state=BookingState.CONFIRMED, end__gte=moment - FEED_PAST)
        .select_related("mentor__profile", "mentee__profile")
        .order_by("start", "pk")[:FEED_LIMIT]
    )


def feed(user, *, moment: dt.datetime | None = None) -> bytes:
    """The person's sessions as mentor and as mentee, from a week ago on."""
    bookings = feed_bookings(user, moment=moment)
    cal = _calendar(None, name=f"{settings.SITE_NAME}: {one_line(user.display_name)}")
    stamp = now()
    for booking in bookings:
        cal.add_component(booking_event(booking, viewer=user, private_details=False, stamp=stamp))
    return cal.to_ical()
