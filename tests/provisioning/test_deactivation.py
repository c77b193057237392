"""Deactivation from the directory: history kept, no login, commitments released with notice; every
change recorded in the outbox, in the transaction of the change."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from openhelp.help.asks import services as asks
from openhelp.help.asks.models import AskMode, AskState
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.help.officehours.models import BookingState
from openhelp.help.routing import services as routing
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.organisers.provisioning import services
from openhelp.organisers.provisioning.resources import parse_user
from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from openhelp.platform.outbox.models import Event
from tests.factories import PASSWORD, SkillFactory
from tests.factories_asks import AskFactory, ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.factories_provisioning import patch_body, user_body
from tests.factories_routing import OfferFactory, open_ask
from tests.factories_routing import make_mentor as make_routing_mentor
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


@pytest.mark.parametrize("scheduled", [False, True], ids=["accepted", "scheduled"])
def test_an_ask_they_were_helping_with_goes_to_other_experts(
    scim, scheduled, django_capture_on_commit_callbacks
):
    django = SkillFactory(name="Django", slug="django")
    leaver, other = (
        make_routing_mentor(django, name="Lee Leaver"),
        make_routing_mentor(django, name="Omar Other"),
    )
    mentee = make_mentee(name="Nico Mentee")
    ask = open_ask(skills=[django], mentee=mentee, mode=AskMode.DIRECTED, directed_to=leaver)
    offer = routing.offer_directly(ask=ask, mentor=leaver)
    with django_capture_on_commit_callbacks(execute=True):
        routing.accept_offer(offer=offer, mentor=leaver)
        ask.refresh_from_db()
        if scheduled:
            ask = asks.record_agreed_time(
                ask=ask, actor=leaver, scheduled_for=START + dt.timedelta(days=2), place="Room 1"
            )
    old_session = Session.objects.get(ask=ask)
    assert old_session.mentor == leaver

    deactivate(scim, leaver)

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED and ask.helper is None and ask.mode == AskMode.ROUTED
    assert ask.scheduled_for is None and ask.accepted_at is None
    assert ask.events.filter(kind="helper_left").count() == 1
    new_offer = Offer.objects.get(ask=ask, state=OfferState.PENDING)
    assert new_offer.mentor == other  # never the leaver again
    old_session.refresh_from_db()
    assert old_session.state == SessionState.CANCELLED and old_session.ask_id is None
    notice = Notification.objects.get(event="ask.helper_left", recipient=mentee)
    assert "Lee Leaver is no longer on the platform" in notice.body
    assert "ask.reopened" in kinds_recorded()

    with django_capture_on_commit_callbacks(execute=True):
        routing.accept_offer(offer=new_offer, mentor=other)
    assert Session.objects.get(ask=ask).mentor == other  # a session of their own
    # Deactivating again changes nothing.
    assert services.deactivate_person(user=User.objects.get(pk=leaver.pk)).handed_back == 0


def test_an_answered_ask_stays_for_the_mentee_to_confirm(scim):
    leaver = make_mentee(name="Lee Leaver")
    ask = ask_in_state(AskState.ANSWERED, helper=leaver)
    released = services.deactivate_person(user=leaver)
    ask.refresh_from_db()
    assert released.handed_back == 0 and ask.state == AskState.ANSWERED and ask.helper == leaver
