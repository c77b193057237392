"""The slot list of the API counts every open slot but builds only the page: its pages, walked to the end,
are exactly what ``open_slots`` offers (same order, seats, marks), whatever rules out or fills a slot."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openhelp.help.officehours.availability import open_slot_listing, open_slots
from openhelp.help.officehours.models import OfficeHours
from openhelp.help.officehours.serializers import SlotSerializer, slot_representations
from openhelp.help.officehours.waitlist import join_waitlist
from openhelp.platform.lib.clock import now
from tests.factories_officehours import (
    OfficeHoursFactory,
    TimeOffFactory,
    book,
    make_mentee,
    make_mentor,
)

V1 = "/api/v1"
WEEK = dt.timedelta(days=7)


@pytest.fixture
def organisation(mentee, mentor, block, group_block):
    """Blocks that each rule out or fill slots differently: booked seats (the viewer's and others'), a
    daily cap, a weekly capacity used up, time off, a pause, notice, an inactive block, mentors' blocks at the
    same hours."""
    other = make_mentor(name="Otto Other")
    earlier, later = make_mentor(), make_mentor()  # at the same hours: by mentor, then by block
    OfficeHoursFactory(mentor=later, start_time=dt.time(15, 0), end_time=dt.time(16, 0))
    OfficeHoursFactory(mentor=earlier, start_time=dt.time(15, 0), end_time=dt.time(16, 0))
    book(group_block, mentee)
    book(group_block, other)
    book(block, mentee, skip=2)
    capped = OfficeHoursFactory(mentor=make_mentor(), daily_cap=1, start_time=dt.time(9, 0))
    book(capped, make_mentee())
    weekly = make_mentor(sessions_per_week=1)
    book(OfficeHoursFactory(mentor=weekly, weekdays=[0, 2]), make_mentee())
    OfficeHoursFactory(mentor=weekly, title="Second block", weekdays=[1, 3], end_time=dt.time(10, 0))
    away = OfficeHoursFactory(mentor=make_mentor(), end_time=dt.time(11, 0))
    TimeOffFactory(office_hours=away, start_date=dt.date(2025, 6, 3), end_date=dt.date(2025, 6, 5))
    paused = make_mentor()
    paused.profile.paused_until = dt.date(2025, 6, 6)
    paused.profile.save()
    OfficeHoursFactory(mentor=paused, start_time=dt.time(12, 0), end_time=dt.time(13, 0))
    OfficeHoursFactory(mentor=make_mentor(), min_notice_minutes=60 * 30, end_time=dt.time(10, 0))
    OfficeHoursFactory(mentor=make_mentor(), is_active=False)
    OfficeHoursFactory(mentor=other, start_time=dt.time(9, 0), end_time=dt.time(10, 30), slot_minutes=45)
    full = OfficeHoursFactory(mentor=make_mentor(), start_time=dt.time(16, 0), end_time=dt.time(17, 0))
    taken = book(full, make_mentee())
    join_waitlist(mentee=mentee, office_hours=full, start=taken.start, topic="In line")


def full_list(viewer):
    """Every open slot, as the web pages list them: every block loaded as a model object."""
    blocks = list(OfficeHours.objects.select_related("mentor__profile"))
    moment = now()
    return open_slots(blocks, start=moment, end=moment + WEEK, viewer=viewer)


def described(slot) -> tuple:
    return (
        slot.office_hours.pk,
        slot.start,
        slot.end,
        slot.seats,
        slot.seats_left,
        slot.booked_by_viewer,
        slot.waiting_by_viewer,
    )


def test_the_listing_counts_and_orders_what_open_slots_offers(organisation, mentee):
    expected = full_list(mentee)
    moment = now()
    listing = open_slot_listing(
        OfficeHours.objects.all(), start=moment, end=moment + WEEK, moment=moment, viewer=mentee
    )
    assert len(listing) == len(expected) > 100
    assert [described(slot) for slot in listing[:]] == [described(slot) for slot in expected]
    assert [described(slot) for slot in listing[7:19]] == [described(slot) for slot in expected[7:19]]
    assert described(listing[-1]) == described(expected[-1])
    # Soonest first, then by mentor, then by block; and what the fixture set up shows: slots that only
    # the mentor's id orders, seats taken, the viewer's own seat, several mentors.
    order = [(slot.start, slot.mentor.pk, slot.office_hours.pk) for slot in expected]
    assert order == sorted(order)
    assert any(a[0] == b[0] and a[1] < b[1] and a[2] > b[2] for a, b in zip(order, order[1:], strict=False))
    assert any(slot.taken == 2 for slot in expected) and any(slot.booked_by_viewer for slot in expected)
    assert any(slot.waiting_by_viewer for slot in expected)
    assert len({slot.mentor.pk for slot in expected}) >= 5


def test_a_page_loads_only_its_own_blocks(organisation, mentee):
    moment = now()
    listing = open_slot_listing(
        OfficeHours.objects.all(), start=moment, end=moment + WEEK, moment=moment, viewer=mentee
    )
    with CaptureQueriesContext(connection) as counting:
        assert len(listing) > 3
    assert not counting.captured_queries  # counted when listed
    with CaptureQueriesContext(connection) as paging:
        page = listing[:3]
    # The page's blocks (with their mentors and profiles) and, if it holds booked slots, the viewer's seats
    # and places in line among them.
    held = any(row.slot_pk is not None for row in listing._listed[:3])
    assert len(paging.captured_queries) == (3 if held else 1)
    assert [slot.office_hours.pk for slot in page] == [row.block_pk for row in listing._listed[:3]]
    with CaptureQueriesContext(connection) as empty:
        assert listing[len(listing) :] == []
    assert not empty.captured_queries
    with CaptureQueriesContext(connection) as whole:
        every = list(listing)
    assert len(whole.captured_queries) == 3 and len(every) == len(listing)  # blocks, seats, places in line


def test_the_apis_pages_walked_to_the_end_are_the_whole_list(organisation, mentee, mentee_client):
    expected = full_list(mentee)
    seen, url, counts = [], f"{V1}/office-hours/slots/?page_size=17&tz=UTC", set()
    while url:
        body = mentee_client.get(url).json()
        counts.add(body["count"])
        seen.extend(body["results"])
        url = body["next"]
    assert counts == {len(expected)}
    assert [
        (s["office_hours"], s["start"], s["end"], s["seats"], s["seats_left"], s["booked_by_me"])
        for s in seen
    ] == [
        (
            slot.office_hours.pk,
            slot.start.isoformat(),
            slot.end.isoformat(),
            slot.seats,
            slot.seats_left,
            slot.booked_by_viewer,
        )
        for slot in expected
    ]
    assert any(s["booked_by_me"] for s in seen) and any(
        s["seats_left"] == 1 and s["seats"] == 3 for s in seen
    )


def test_a_page_past_the_end_is_still_a_404(organisation, mentee_client):
    count = mentee_client.get(f"{V1}/office-hours/slots/").json()["count"]
    last = -(-count // 50)
    assert mentee_client.get(f"{V1}/office-hours/slots/", {"page_size": 50, "page": last}).status_code == 200
    assert (
        mentee_client.get(f"{V1}/office-hours/slots/", {"page_size": 50, "page": last + 1}).status_code == 404
    )


@pytest.mark.parametrize("tz_name", [None, "UTC", "Asia/Kathmandu", "America/New_York"])
def test_the_slots_json_is_the_serializers(organisation, mentee, tz_name):
    """The list's answer is built without the serializer's fields, and is the serializer's to the byte."""
    slots = full_list(mentee)
    assert any(slot.booked_by_viewer for slot in slots) and any(slot.waiting_by_viewer for slot in slots)
    built = slot_representations(slots, tz_name=tz_name)
    expected = SlotSerializer(slots, many=True, context={"tz": tz_name}).data
    assert len(built) == len(expected)
    for mine, theirs in zip(built, expected, strict=True):  # slot by slot: a short report when one differs
        assert json.dumps(mine) == json.dumps(theirs)  # same fields, values and order
