"""The cluster fault audits (bench/cluster/audit.py) on a small database: they find what they look for."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.cluster import audit
from openhelp.help.officehours.models import Booking
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee
from tests.factories_recognition import KudosFactory

pytestmark = pytest.mark.django_db


def announced(booking: Booking) -> Booking:
    """Run the announcement the booking queued (a worker's task in the cluster)."""
    from openhelp.help.officehours.notices import announce

    announce(kind="confirmed", booking_id=booking.pk, sequence=booking.sequence)
    return booking


@pytest.fixture
def since():
    return now() - dt.timedelta(seconds=1)


def test_seats_counts_an_over_booked_slot(since):
    block = OfficeHoursFactory(seats=1)
    booking = book(block, make_mentee())
    assert audit.seats(since)["over-booked slots"] == 0
    Booking.objects.create(
        slot=booking.slot,
        mentor=booking.mentor,
        mentee=make_mentee(),
        seat=2,
        start=booking.start,
        end=booking.end,
        topic="One too many",
    )
    figures = audit.seats(since)
    assert figures["over-booked slots"] == 1
    assert figures["bookings"] == 2


def test_notifications_finds_a_workflow_that_told_nobody(since):
    block = OfficeHoursFactory(seats=2)
    announced(book(block, make_mentee()))
    figures, problems = audit.notifications(since)
    assert figures["booking workflows without their notification"] == 0
    Notification.objects.filter(dedupe_key__startswith="booking:").delete()
    figures, problems = audit.notifications(since)
    assert figures["booking workflows without their notification"] == 1
    assert problems


def test_emails_counts_missing_and_duplicate_deliveries(since):
    kudos = KudosFactory()
    first = Notification.objects.create(
        recipient=kudos.receiver,
        event="kudos.received",
        title="t",
        email_status=Notification.DeliveryStatus.SENT,
    )
    second = Notification.objects.create(
        recipient=kudos.giver,
        event="kudos.received",
        title="t",
        email_status=Notification.DeliveryStatus.SENT,
    )
    pending = Notification.objects.create(
        recipient=kudos.giver,
        event="kudos.received",
        title="u",
        email_status=Notification.DeliveryStatus.PENDING,
    )
    records = [{"notification_id": first.pk}, {"notification_id": first.pk}, {"notification_id": pending.pk}]
    figures, problems = audit.emails(since, records)
    assert figures["received more than once"] == 1  # first
    assert figures["never received"] == 1  # second
    assert figures["not marked sent"] == 1  # pending
    assert len(problems) == 3
    assert second.pk


def test_committed_finds_a_lost_write():
    kudos = KudosFactory()
    figures, problems = audit.committed({"kudos": [kudos.pk, kudos.pk + 1000], "booking": [], "offer": []})
    assert figures["kudos writes lost"] == 1
    assert problems


def test_a_clean_window_is_clean(since):
    from openhelp.platform.outbox.delivery import consumers, deliver

    block = OfficeHoursFactory(seats=1)
    announced(book(block, make_mentee()))
    for consumer in consumers():
        deliver(consumer.name, settle=dt.timedelta(0))
    Notification.objects.update(email_status=Notification.DeliveryStatus.NOT_WANTED)
    checked = audit.run_all(
        since, sink_records=[], confirmed={"booking": list(Booking.objects.values_list("pk", flat=True))}
    )
    assert checked.problems == []
    assert checked.figures["roll-up rows differing from a rebuild"] == 0
