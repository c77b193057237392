"""Deactivation from the directory: history kept, no login, commitments released with notice; every
change recorded in the outbox, in the transaction of the change."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from openhelp.help.asks.models import AskState
from openhelp.help.mentoring.models import Session
from openhelp.help.officehours.models import BookingState
from openhelp.help.routing.models import DeclineReason, OfferState
from openhelp.organisers.provisioning import services
from openhelp.organisers.provisioning.resources import parse_user
from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from openhelp.platform.outbox.models import Event
from tests.factories import PASSWORD
from tests.factories_asks import AskFactory
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.factories_provisioning import patch_body, user_body
from tests.factories_routing import OfferFactory
from tests.harness.outbox import kinds_recorded, last_event_id
from tests.harness.tasks import run_pending_tasks

START = dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC)  # a Monday, 08:00 in Berlin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(START, tick=True):
        yield


def deactivate(scim, user, *, entra: bool = False) -> None:
    operation = (
        {"op": "Replace", "path": "active", "value": "False"}
        if entra
        else {"op": "replace", "value": {"active": False}}
    )
    response = scim.patch(f"Users/{user.pk}", patch_body(operation))
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False


def test_it_cancels_future_bookings_and_tells_the_mentee(scim):
    mentor, mentee = make_mentor(name="Mira Mentor"), make_mentee(name="Nico Mentee")
    block = OfficeHoursFactory(mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(12, 0))
    booking = book(block, mentee, skip=6)
    run_pending_tasks()  # the booking's own notices
    deactivate(scim, mentor)
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert booking.cancel_reason == services.LEFT
    run_pending_tasks()
    notice = Notification.objects.get(event="booking.cancelled", recipient=mentee)
    assert "no longer at the organisation" in notice.body
    assert not Notification.objects.filter(event="booking.cancelled", recipient=mentor).exists()


def test_it_passes_pending_offers_on_and_cancels_their_open_asks(scim):
    leaver, other_expert = make_mentor(name="Lee Leaver"), make_mentor(name="Omar Other")
    offer_to_leaver = OfferFactory(mentor=leaver)
    own_ask = AskFactory(mentee=leaver, state=AskState.OFFERED)
    offer_on_own_ask = OfferFactory(ask=own_ask, mentor=other_expert)
    draft = AskFactory(mentee=leaver, state=AskState.DRAFT)
    deactivate(scim, leaver, entra=True)
    offer_to_leaver.refresh_from_db()
    assert offer_to_leaver.state == OfferState.DECLINED
    assert offer_to_leaver.decline_reason == DeclineReason.UNAVAILABLE
    own_ask.refresh_from_db()
    assert own_ask.state == AskState.CANCELLED and own_ask.cancel_reason == services.LEFT
    offer_on_own_ask.refresh_from_db()
    assert offer_on_own_ask.state == OfferState.WITHDRAWN
    draft.refresh_from_db()
    assert draft.state == AskState.DRAFT  # nobody waits on a draft


def test_it_keeps_history_and_stops_login_until_reactivated(scim):
    mentor, mentee = make_mentor(), make_mentee()
    block = OfficeHoursFactory(mentor=mentor)
    booking = book(block, mentee)
    sessions_before = Session.objects.count()
    deactivate(scim, mentee)
    assert User.objects.filter(pk=mentee.pk).exists()
    assert Session.objects.count() == sessions_before
    assert booking.__class__.objects.filter(pk=booking.pk).exists()  # cancelled, not deleted
    assert not Client().login(email=mentee.email, password=PASSWORD)
    response = scim.patch(
        f"Users/{mentee.pk}", patch_body({"op": "replace", "path": "active", "value": True})
    )
    assert response.json()["active"] is True
    assert Client().login(email=mentee.email, password=PASSWORD)


def test_every_change_is_in_the_outbox(scim):
    after = last_event_id()
    user_id = scim.post(
        "Users",
        user_body(
            "ada@example.org",
            **{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Data"}},
        ),
    ).json()["id"]
    scim.patch(f"Users/{user_id}", patch_body({"op": "replace", "path": "title", "value": "Lead"}))
    scim.patch(f"Users/{user_id}", patch_body({"op": "replace", "path": "active", "value": False}))
    scim.patch(
        f"Users/{user_id}", patch_body({"op": "replace", "path": "active", "value": False})
    )  # no change
    scim.patch(f"Users/{user_id}", patch_body({"op": "replace", "path": "active", "value": True}))
    assert kinds_recorded(after=after) == [
        "team.provisioned",
        "person.provisioned",
        "profile.team_changed",
        "person.updated",
        "person.deactivated",
        "person.reactivated",
    ]
    deactivated = Event.objects.get(id__gt=after, kind="person.deactivated")
    assert deactivated.payload["person"] == int(user_id) and deactivated.payload["team"] is not None


def test_the_deactivation_event_commits_or_rolls_back_with_the_change(scim, monkeypatch):
    user = make_mentee()
    real_record = services.record

    def record_then_fail(kind, **payload):
        real_record(kind, **payload)
        raise RuntimeError("crash after recording")

    monkeypatch.setattr(services, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        services.deactivate_person(user=user)
    assert User.objects.get(pk=user.pk).is_active
    assert not Event.objects.filter(kind="person.deactivated").exists()


def test_a_person_created_is_rolled_back_with_its_event(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("crash after recording person.provisioned")

    monkeypatch.setattr(services, "record_team_change", fail)
    with pytest.raises(RuntimeError):
        services.provision_person(data=parse_user(user_body("ada@example.org")))
    assert not User.objects.filter(email="ada@example.org").exists()
    assert not Event.objects.filter(kind="person.provisioned").exists()
