"""The booking path's short cuts keep every promise: the one-query commitment check, the idempotency
re-check only where a race can happen, the lock timeout set in the lock's own statement, the profile read
with the access token, and the booking answer built without the serializer's machinery."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openhelp.help.asks.models import AskState
from openhelp.help.officehours import booking as booking_service
from openhelp.help.officehours.availability import clashes
from openhelp.help.officehours.booking import Idempotency
from openhelp.help.officehours.changes import cancel_booking
from openhelp.help.officehours.models import Booking, BookingEvent, BookingState, IdempotencyKey, Slot
from openhelp.help.officehours.serializers import BookingSerializer, booking_representation
from openhelp.platform.accounts.models import AccessToken
from openhelp.platform.lib import locking
from openhelp.platform.lib.locking import locked_transaction
from openhelp.platform.lib.sql import has_advisory_locks
from tests.factories_asks import ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee, make_mentor

AT = dt.datetime(2025, 6, 3, 10, 0, tzinfo=dt.UTC)


def _at(minutes: int) -> dt.datetime:
    return AT + dt.timedelta(minutes=minutes)


# --- clashes: held slots, bookings and scheduled asks in one query ----------------------------------------


def test_clashes_finds_held_slots_and_bookings_in_half_open_intervals(db):
    mentor, mentee, other = make_mentor(), make_mentee(), make_mentee()
    slot = Slot.objects.create(mentor=mentor, start=AT, end=_at(30), seats=1, held=True)
    Slot.objects.create(mentor=other, start=AT, end=_at(30), seats=1, held=False)  # released: free
    Booking.objects.create(
        slot=slot, mentor=mentor, mentee=mentee, seat=1, start=AT, end=_at(30), topic="t", location="x"
    )
    people = [mentor.pk, mentee.pk, other.pk]

    assert clashes(people, _at(29), _at(60)) == {mentor.pk: "mentor", mentee.pk: "mentee"}
    assert clashes(people, _at(30), _at(60)) == {}  # ends at 10:30, the next starts at 10:30
    assert clashes(people, _at(-30), AT) == {}
    assert clashes(people, AT, _at(30), ignore_slot_ids=[slot.pk, None]) == {mentee.pk: "mentee"}
    booked = Booking.objects.get()
    assert clashes(people, AT, _at(30), ignore_booking_id=booked.pk) == {mentor.pk: "mentor"}
    booked.state = BookingState.CANCELLED
    booked.save()
    assert clashes([mentee.pk], AT, _at(30)) == {}
    assert clashes([], AT, _at(30)) == {}


@pytest.mark.parametrize(
    ("ask_format", "minutes"), [("call15", 15), ("call30", 30), ("call60", 60), ("async", 30)]
)
def test_clashes_counts_a_scheduled_ask_for_as_long_as_its_format(db, ask_format, minutes):
    mentor, mentee = make_mentor(), make_mentee()
    ask = ask_in_state(AskState.SCHEDULED, helper=mentor, mentee=mentee, scheduled_for=AT, format=ask_format)
    both = {mentor.pk: "ask", mentee.pk: "ask"}

    assert clashes([mentor.pk, mentee.pk], _at(minutes - 1), _at(minutes + 30)) == both
    assert clashes([mentor.pk, mentee.pk], _at(minutes), _at(minutes + 30)) == {}
    assert clashes([mentee.pk], _at(-20), _at(1)) == {mentee.pk: "ask"}
    assert clashes([mentee.pk], _at(-20), AT) == {}
    assert clashes([mentor.pk], AT, _at(1), ignore_ask_id=ask.pk) == {}


def test_clashes_leaves_out_asks_not_scheduled_or_already_booked(db):
    mentor, mentee, co_asker = make_mentor(), make_mentee(), make_mentee()
    ask = ask_in_state(AskState.SCHEDULED, helper=mentor, mentee=mentee, scheduled_for=AT, format="call30")
    ask.co_askers.add(co_asker)
    ask_in_state(AskState.ACCEPTED, helper=co_asker, mentee=make_mentee(), scheduled_for=AT)

    # What a scheduled ask commits is its mentee's and its helper's time (as in ask_commitments).
    assert clashes([co_asker.pk, mentor.pk], AT, _at(10)) == {mentor.pk: "ask"}
    slot = Slot.objects.create(mentor=mentor, start=AT, end=_at(30), seats=1, held=True)
    Booking.objects.create(
        slot=slot,
        mentor=mentor,
        mentee=mentee,
        seat=1,
        start=AT,
        end=_at(30),
        topic="t",
        location="x",
        ask=ask,
    )
    # The ask is now a booking: it shows as the booking and the held slot, not a second time as an ask.
    assert clashes([mentor.pk, mentee.pk], AT, _at(10)) == {mentor.pk: "mentor", mentee.pk: "mentee"}


# --- Idempotency: the re-check happens where a retry can race its first request ---------------------------


def _race_past_the_first_check(monkeypatch):
    """The retry's look-up before the lock ran while the first request was still in flight: it saw no key."""
    real = booking_service._earlier_booking
    calls = []

    def first_sees_nothing(mentee, idempotency):
        calls.append(idempotency.key)
        return (None, None) if len(calls) == 1 else real(mentee, idempotency)

    monkeypatch.setattr(booking_service, "_earlier_booking", first_sees_nothing)
    return calls


def test_a_retry_that_raced_its_first_request_gets_the_first_booking(block, mentee, monkeypatch):
    key = Idempotency(key="race-1", fingerprint="abc")
    first = book(block, mentee, idempotency=key)
    calls = _race_past_the_first_check(monkeypatch)

    slot = Booking.objects.get(pk=first.pk)
    again = booking_service.book_slot(
        mentee=mentee, office_hours=block, start=slot.start, topic="Query plans", idempotency=key
    )

    assert again.pk == first.pk and len(calls) == 2  # answered by the look-up after the conflict
    assert Booking.objects.filter(mentee=mentee).count() == 1


def test_a_racing_reuse_of_a_key_for_another_slot_is_refused_and_books_nothing(block, mentee, monkeypatch):
    book(block, mentee, idempotency=Idempotency(key="race-2", fingerprint="abc"))
    _race_past_the_first_check(monkeypatch)
    other = first_slot(block)  # a different, free slot: nothing conflicts but the key's unique index

    with pytest.raises(ValidationError) as error:
        booking_service.book_slot(
            mentee=mentee,
            office_hours=block,
            start=other.start,
            topic="x",
            idempotency=Idempotency(key="race-2", fingerprint="other body"),
        )

    assert "idempotency_key" in error.value.message_dict
    assert Booking.objects.filter(mentee=mentee).count() == 1
    assert IdempotencyKey.objects.filter(user=mentee).count() == 1


def test_a_booking_that_goes_through_looks_its_key_up_once(block, mentee):
    with CaptureQueriesContext(connection) as queries:
        book(block, mentee, idempotency=Idempotency(key="once", fingerprint="abc"))
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "officehours_idempotencykey" in q["sql"]
    ]
    assert len(reads) == 1


# --- The lock statement --------------------------------------------------------------------------------------


@pytest.mark.skipif(not has_advisory_locks(), reason="advisory locks are PostgreSQL's")
def test_the_lock_timeout_and_the_locks_take_one_statement(transactional_db, settings):
    settings.LOCK_TIMEOUT_MS = 1234
    with CaptureQueriesContext(connection) as queries, locked_transaction(user_ids=[9, 4, 9]):
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            timeout = cursor.fetchone()[0]
            cursor.execute(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                " AND classid = %s ORDER BY objid",
                [locking.ADVISORY_NAMESPACE],
            )
            held = [row[0] for row in cursor.fetchall()]
    statements = [
        q["sql"] for q in queries if "pg_advisory_xact_lock" in q["sql"] or "set_config" in q["sql"]
    ]
    assert timeout == "1234ms"
    assert held == [4, 9]
    assert len(statements) == 1
    with connection.cursor() as cursor:  # for the transaction only
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] != "1234ms"


# --- The API's booking answer --------------------------------------------------------------------------------


def _loaded(booking_id: int) -> Booking:
    return (
        Booking.objects.select_related("mentor__profile", "mentee__profile", "slot", "cancelled_by__profile")
        .prefetch_related("events__actor__profile")
        .get(pk=booking_id)
    )


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_the_booking_answer_is_what_the_serializer_gives(block, mentee, mentor, zone):
    plain = book(block, mentee)
    cancelled = book(block, make_mentee(), skip=1)
    cancel_booking(booking=_loaded(cancelled.pk), actor=mentor, reason="Ill today")
    BookingEvent.objects.create(
        booking=plain, kind=BookingEvent.Kind.BOOKED, actor=None, to_start=plain.start
    )
    group = OfficeHoursFactory(mentor=make_mentor(), seats=3)
    grouped = book(group, mentee, skip=2)

    with timezone.override(zone):
        for booking in (_loaded(plain.pk), _loaded(cancelled.pk), _loaded(grouped.pk)):
            assert booking_representation(booking) == BookingSerializer(booking).data


def test_a_token_booking_reads_the_profile_with_the_token_and_answers_like_the_detail_view(block, mentee):
    raw = AccessToken.generate_key()
    AccessToken.objects.create(user=mentee, name="t", key_hash=AccessToken.hash_key(raw), key_hint=raw[:10])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {"office_hours": block.pk, "start": first_slot(block).start.isoformat(), "topic": "Indexes"}

    with CaptureQueriesContext(connection) as queries:
        created = client.post("/api/v1/bookings/", json.dumps(body), content_type="application/json")

    assert created.status_code == 201, created.content
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "people_profile"')]
    detail = client.get(f"/api/v1/bookings/{created.json()['id']}/")
    assert created.json() == detail.json()
    assert created.json()["mentee"]["display_name"] == "Nico Mentee"
