"""An introduction nobody settles closes quietly after INTRODUCTION_EXPIRES_DAYS; the task is idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.community.moments import introductions as intros
from openhelp.community.moments.models import Answer, IntroductionState
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.models import Notification
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)
LATER = intros.expires_after() + dt.timedelta(minutes=1)


def _introduce(author, friend, third):
    return intros.introduce(introducer=author, first=friend, second=third, note="You both run Kafka.")


def test_an_unanswered_introduction_expires_quietly_for_all_three(author, friend, third):
    intro = _introduce(author, friend, third)
    intros.answer(introduction=intro, person=friend, accept=True)
    run_pending_tasks()  # e-mails go now; the expiry is not due yet, so it does not run early
    intro.refresh_from_db()
    assert intro.state == IntroductionState.PENDING
    with time_machine.travel(now() + LATER, tick=False):
        assert run_pending_tasks() >= 1
    intro.refresh_from_db()
    assert intro.state == IntroductionState.NOT_THIS_TIME
    assert intro.first_answer == Answer.ACCEPTED and intro.second_answer == Answer.PENDING
    told = Notification.objects.filter(event="introduction.not_this_time").values_list("recipient", flat=True)
    assert sorted(told) == sorted([author.pk, friend.pk, third.pk])
    # Run again, late: nothing more happens.
    assert intros.expire_introduction(introduction_id=intro.pk) == "skipped"
    assert Notification.objects.filter(event="introduction.not_this_time").count() == 3


def test_a_connected_introduction_is_never_expired(author, friend, third):
    intro = _introduce(author, friend, third)
    intros.answer(introduction=intro, person=friend, accept=True)
    intros.answer(introduction=intro, person=third, accept=True)
    with time_machine.travel(now() + LATER, tick=False):
        run_pending_tasks()
    intro.refresh_from_db()
    assert intro.state == IntroductionState.CONNECTED
    assert not Notification.objects.filter(event="introduction.not_this_time").exists()


def test_running_the_task_before_it_is_due_does_nothing(author, friend, third):
    intro = _introduce(author, friend, third)
    assert intros.expire_introduction(introduction_id=intro.pk) == "not due"
    intro.refresh_from_db()
    assert intro.state == IntroductionState.PENDING
