"""A ceiling on bookings made or moved per person a day. Each booking and each cancellation or move tells
the mentor, by e-mail with the booker's topic in the subject: booking and cancelling one slot over and over
sent a mentor any number of e-mails with subjects of the booker's choosing (found in the security review;
docs/security.md). Cancelling is never limited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from openhelp.help.officehours.models import Booking, BookingState
from tests.factories_officehours import first_slot

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _book(client, block, topic: str):
    slot = first_slot(block)
    return post(
        client, f"{V1}/bookings/", {"office_hours": block.pk, "start": slot.start.isoformat(), "topic": topic}
    )


def test_booking_and_cancelling_stops_at_the_daily_ceiling_and_cancelling_never_does(
    mentee_client, block, settings
):
    settings.BOOKINGS_PER_DAY = 3
    for n in range(3):
        booked = _book(mentee_client, block, f"Your account is locked {n}")
        assert booked.status_code == 201, booked.json()
        cancelled = post(mentee_client, f"{V1}/bookings/{booked.json()['id']}/cancel/", {"reason": "x"})
        assert cancelled.status_code == 200
    refused = _book(mentee_client, block, "Your account is locked 3")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "Book again tomorrow" in str(refused.json()["error"])
    assert Booking.objects.count() == 3
    assert set(Booking.objects.values_list("state", flat=True)) == {BookingState.CANCELLED}

    with time_machine.travel(dt.timedelta(days=1)):
        assert _book(mentee_client, block, "Tomorrow").status_code == 201


def test_moving_a_booking_counts_too(mentee_client, block, settings):
    settings.BOOKINGS_PER_DAY = 2
    booking = _book(mentee_client, block, "Indexes").json()
    url = f"{V1}/bookings/{booking['id']}/"
    target = first_slot(block, skip=2)
    body = {"office_hours": block.pk, "start": target.start.isoformat(), "reason": "Later"}
    assert post(mentee_client, url + "reschedule/", body).status_code == 200
    target = first_slot(block, skip=3)
    body = {"office_hours": block.pk, "start": target.start.isoformat(), "reason": "Later still"}
    assert post(mentee_client, url + "reschedule/", body).status_code == 429
    assert post(mentee_client, url + "cancel/", {"reason": "x"}).status_code == 200
