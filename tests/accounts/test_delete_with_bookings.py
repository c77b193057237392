"""Deleting an account that has bookings: the other side is told, and the delete never fails."""

from __future__ import annotations

import pytest

from openhelp.help.officehours.models import Booking, BookingState
from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_a_mentor_cancels_their_bookings_and_tells_the_mentee():
    mentor, mentee = make_mentor(), make_mentee()
    booking = book(OfficeHoursFactory(mentor=mentor), mentee)
    run_pending_tasks()
    before = set(Notification.objects.filter(recipient=mentee).values_list("pk", flat=True))

    services.delete_account(user=mentor)  # with PROTECT on the slot this raised ProtectedError (a 500)

    assert not User.objects.filter(pk=mentor.pk).exists()
    assert not Booking.objects.filter(pk=booking.pk).exists()  # deleted with the mentor's slots
    run_pending_tasks()
    told = Notification.objects.filter(recipient=mentee).exclude(pk__in=before)
    assert told.exists(), "the mentee hears that the booking was cancelled"
    assert any("cancel" in (n.title + n.body).lower() for n in told)
    assert set(told.values_list("email_status", flat=True)) <= {"sent", "not_wanted"}, "e-mails went out"


def test_deleting_a_mentee_frees_their_seat():
    mentor, mentee = make_mentor(), make_mentee()
    office_hours = OfficeHoursFactory(mentor=mentor)
    booking = book(office_hours, mentee)
    services.delete_account(user=mentee)
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert not Booking.objects.filter(mentor=mentor, state=BookingState.CONFIRMED).exists()
    assert User.objects.filter(pk=mentor.pk).exists()
