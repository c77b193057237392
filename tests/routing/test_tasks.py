"""Time-based steps through the real task queue and worker: offer expiry, reminders, escalation, ask expiry.

These tests commit (transactional) because routing schedules its tasks when the transaction commits.
Each step is also run twice, late, and after the ask moved on, and must then do nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing import services
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.help.routing.tasks import (
    check_escalation_task,
    expire_ask_task,
    expire_offer_task,
    remind_offer_task,
)
from openhelp.platform.notifications.models import Notification
from tests.factories_routing import make_mentor, open_ask
from tests.harness.tasks import queued_task_names, run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def told(user, event: str) -> int:
    return Notification.objects.filter(recipient=user, event=event).count()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def routed(clock, skills, mentee, settings):
    """An ask offered to 3 of 6 mentors (this week: 24 h window, reminder after 18 h)."""
    settings.ROUTING = {**settings.ROUTING, "ESCALATE_AFTER_ROUNDS": 9}
    for i in range(6):
        make_mentor((skills["django"], 5 if i < 3 else 3), name=f"Mentor {i}")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask, actor=mentee)
    return ask


def test_routing_schedules_expiry_reminders_escalation_and_the_deadline(clock, skills, mentee):
    make_mentor(skills["django"])
    ask = open_ask(skills=[skills["django"]], mentee=mentee, needed_by=START.date() + dt.timedelta(days=3))

    services.route_ask(ask=ask)

    names = queued_task_names()
    for task in (expire_offer_task, remind_offer_task, check_escalation_task, expire_ask_task):
        assert task.module_path in names


def test_nothing_expires_before_its_time(routed, clock):
    clock.move_to(START + dt.timedelta(hours=17))
    run_pending_tasks()

    assert Offer.objects.filter(ask=routed, state=OfferState.PENDING).count() == 3
    assert Notification.objects.filter(event="ask.offer.expiring").count() == 0


def test_nobody_is_reminded_once_the_ask_was_accepted(routed, clock):
    offers = list(Offer.objects.filter(ask=routed).select_related("mentor"))
    services.accept_offer(offer=offers[0], mentor=offers[0].mentor)
    clock.move_to(START + dt.timedelta(hours=19))

    run_pending_tasks()
    run_pending_tasks()

    # The ask was accepted, so the others' offers were withdrawn and nobody is reminded.
    assert Notification.objects.filter(event="ask.offer.expiring").count() == 0


def test_unanswered_offers_remind_once_then_expire_and_the_ask_moves_on(routed, clock, mentee):
    first = list(Offer.objects.filter(ask=routed).select_related("mentor"))

    clock.move_to(START + dt.timedelta(hours=19))
    run_pending_tasks()
    assert [told(o.mentor, "ask.offer.expiring") for o in first] == [1, 1, 1]

    clock.move_to(START + dt.timedelta(hours=24, minutes=1))
    run_pending_tasks()

    routed.refresh_from_db()
    assert {o.state for o in Offer.objects.filter(pk__in=[o.pk for o in first])} == {OfferState.EXPIRED}
    second = Offer.objects.filter(ask=routed, round=2)
    assert routed.state == AskState.OFFERED and routed.routing_round == 2 and second.count() == 3
    assert told(mentee, "ask.rerouted") == 1
    assert [told(o.mentor, "ask.offer.expiring") for o in first] == [1, 1, 1]

    # Running every step again, late, changes nothing.
    for offer in first:
        assert services.expire_offer(offer_id=offer.pk) == "nothing to do"
        assert services.remind_offer(offer_id=offer.pk) == "nothing to do"
    assert Offer.objects.filter(ask=routed).count() == 6
    assert told(mentee, "ask.rerouted") == 1


def test_an_early_expiry_run_waits_for_the_window(routed):
    offer = Offer.objects.filter(ask=routed).first()

    assert services.expire_offer(offer_id=offer.pk) == "not yet"
    assert Offer.objects.get(pk=offer.pk).state == OfferState.PENDING


def test_expiry_after_the_ask_was_accepted_does_nothing(routed, clock):
    winner, *others = Offer.objects.filter(ask=routed).select_related("mentor")
    services.accept_offer(offer=winner, mentor=winner.mentor)

    clock.move_to(START + dt.timedelta(days=3))
    run_pending_tasks()

    routed.refresh_from_db()
    assert routed.state == AskState.ACCEPTED and routed.helper == winner.mentor
    assert Offer.objects.filter(ask=routed).count() == 3
    assert Offer.objects.get(pk=winner.pk).state == OfferState.ACCEPTED


def test_when_the_promised_time_is_near_it_escalates_once_and_widens(
    clock, skills, mentee, organiser, settings
):
    settings.ROUTING = {**settings.ROUTING, "PROMISED_RESPONSE": {"this_week": 20}}  # escalate at 15 h
    for i in range(3):
        make_mentor(skills["django"], name=f"Exact {i}")
    make_mentor(skills["flask"], name="Sibling")
    make_mentor((skills["django"], 1), name="Beginner")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)

    clock.move_to(START + dt.timedelta(hours=15, minutes=1))
    run_pending_tasks()

    ask.refresh_from_db()
    assert ask.escalated_at is not None
    assert told(organiser, "ask.escalated") == 1
    assert ask.events.filter(kind="escalated").count() == 1
    widened = {o.mentor.display_name for o in Offer.objects.filter(ask=ask, round=2).select_related("mentor")}
    assert widened == {"Sibling", "Beginner"}
    assert Offer.objects.filter(ask=ask, round=1, state=OfferState.PENDING).count() == 3
    assert told(mentee, "ask.rerouted") == 0  # nobody said no: more experts were just added

    assert services.check_escalation(ask_id=ask.pk) == "nothing to do"
    assert told(organiser, "ask.escalated") == 1


def test_escalation_after_the_ask_was_accepted_does_nothing(routed, clock, organiser):
    winner = Offer.objects.filter(ask=routed).select_related("mentor").first()
    services.accept_offer(offer=winner, mentor=winner.mentor)

    clock.move_to(START + dt.timedelta(days=2))
    run_pending_tasks()

    routed.refresh_from_db()
    assert routed.escalated_at is None
    assert told(organiser, "ask.escalated") == 0


def test_past_its_needed_by_day_the_ask_expires_and_the_mentee_is_told(clock, skills, mentee):
    make_mentor(skills["django"], name="Slow")
    # The mentee lives in Berlin: "needed by Tuesday" lasts until Tuesday midnight there (22:00 UTC in winter).
    ask = open_ask(skills=[skills["django"]], mentee=mentee, needed_by=dt.date(2026, 3, 3))
    services.route_ask(ask=ask)
    slow = Offer.objects.get(ask=ask)
    services.decline_offer(offer=slow, mentor=slow.mentor, reason=DeclineReason.NO_TIME)
    ask.refresh_from_db()
    assert ask.state == AskState.UNMATCHED

    clock.move_to(dt.datetime(2026, 3, 3, 22, 59, tzinfo=dt.UTC))
    assert services.expire_ask(ask_id=ask.pk) == "not yet"

    clock.move_to(dt.datetime(2026, 3, 3, 23, 1, tzinfo=dt.UTC))
    run_pending_tasks()

    ask.refresh_from_db()
    assert ask.state == AskState.EXPIRED and ask.closed_at is not None
    note = Notification.objects.get(recipient=mentee, event="ask.expired")
    assert "broader or related skill" in note.body
    assert services.expire_ask(ask_id=ask.pk) == "nothing to do"
    assert told(mentee, "ask.expired") == 1


def test_an_expiring_ask_withdraws_its_pending_offers(clock, skills, mentee, settings):
    settings.ROUTING = {**settings.ROUTING, "OFFER_WINDOW": {"flexible": 24 * 10}}
    mentor = make_mentor(skills["django"])
    ask = open_ask(
        skills=[skills["django"]], mentee=mentee, urgency="flexible", needed_by=dt.date(2026, 3, 4)
    )
    services.route_ask(ask=ask)

    clock.move_to(dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC))
    run_pending_tasks()

    ask.refresh_from_db()
    assert ask.state == AskState.EXPIRED
    assert Offer.objects.get(ask=ask).state == OfferState.WITHDRAWN
    assert told(mentor, "ask.offer.withdrawn") == 1


def test_a_needed_by_day_that_moved_later_is_respected(clock, skills, mentee):
    make_mentor(skills["django"])
    ask = open_ask(skills=[skills["django"]], mentee=mentee, needed_by=dt.date(2026, 3, 3))
    services.route_ask(ask=ask)
    Ask.objects.filter(pk=ask.pk).update(needed_by=dt.date(2026, 3, 20))

    clock.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC))
    run_pending_tasks()

    ask.refresh_from_db()
    assert ask.state != AskState.EXPIRED


def test_tasks_for_rows_that_no_longer_exist_do_nothing(clock):
    assert services.expire_offer(offer_id=999_999) == "nothing to do"
    assert services.remind_offer(offer_id=999_999) == "nothing to do"
    assert services.check_escalation(ask_id=999_999) == "nothing to do"
    assert services.expire_ask(ask_id=999_999) == "nothing to do"


def test_an_unanswered_directed_offer_returns_the_ask_to_its_mentee(clock, skills, mentee):
    chosen = make_mentor(skills["django"], name="Chosen")
    ask = open_ask(skills=[skills["django"]], mentee=mentee, mode="directed", directed_to=chosen)
    services.offer_directly(ask=ask, mentor=chosen, actor=mentee)

    clock.move_to(START + dt.timedelta(hours=25))
    run_pending_tasks()

    ask.refresh_from_db()
    assert ask.state == AskState.OPEN
    assert Offer.objects.get(ask=ask).state == OfferState.EXPIRED
    assert told(mentee, "ask.declined") == 1
