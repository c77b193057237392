"""The end-of-week reflection prompt: one per person per week, Friday 16:00 their time, through the real
task queue and worker; switched off in notification preferences means none at all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from openhelp.community.moments import services
from openhelp.community.moments.models import MomentKind, ReflectionPrompt
from openhelp.community.moments.tasks import send_reflection_prompt_task
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.harness.tasks import queued_task_names, run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)  # Monday; 18:00 in Tokyo
FRIDAY_4PM_TOKYO = dt.datetime(2025, 6, 6, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def prompts(user) -> int:
    return Notification.objects.filter(recipient=user, event=services.REFLECTION_EVENT).count()


def log(author) -> None:
    services.log_moment(author=author, kind=MomentKind.ENCOURAGEMENT, note="Cheered a colleague on")


def test_logging_moments_queues_one_prompt_for_the_week_at_friday_4pm_local(clock, author):
    log(author)
    log(author)
    prompt = ReflectionPrompt.objects.get(user=author)
    assert prompt.week_start == dt.date(2025, 6, 2) and prompt.run_at == FRIDAY_4PM_TOKYO
    assert queued_task_names().count(send_reflection_prompt_task.module_path) == 1


def test_the_prompt_arrives_once_then_next_weeks_is_queued(clock, author):
    log(author)
    clock.move_to(FRIDAY_4PM_TOKYO - dt.timedelta(minutes=1))
    run_pending_tasks()
    assert prompts(author) == 0

    clock.move_to(FRIDAY_4PM_TOKYO + dt.timedelta(minutes=1))
    run_pending_tasks()
    run_pending_tasks()
    note = Notification.objects.get(recipient=author, event=services.REFLECTION_EVENT)
    assert "1 of 3 moments this week" in note.body
    assert [m.to for m in mail.outbox] == [[author.email]]
    next_week = ReflectionPrompt.objects.get(user=author, week_start=dt.date(2025, 6, 9))
    assert next_week.run_at == FRIDAY_4PM_TOKYO + dt.timedelta(weeks=1)

    # Running the same week's task again (a retry, a duplicate) sends nothing more.
    send_reflection_prompt_task.call(ReflectionPrompt.objects.get(week_start=dt.date(2025, 6, 2)).pk)
    assert prompts(author) == 1


def test_a_prompt_logged_after_friday_afternoon_is_for_next_week(clock, author):
    clock.move_to(FRIDAY_4PM_TOKYO + dt.timedelta(hours=2))
    log(author)
    assert ReflectionPrompt.objects.get(user=author).week_start == dt.date(2025, 6, 9)


def test_nobody_who_opted_out_is_prompted(clock, author):
    for channel in ("in_app", "email"):
        NotificationPreference.objects.create(
            user=author, event=services.REFLECTION_EVENT, channel=channel, enabled=False
        )
    log(author)
    assert not ReflectionPrompt.objects.exists()


def test_opting_out_after_it_was_queued_stops_it(clock, author):
    log(author)
    for channel in ("in_app", "email"):
        NotificationPreference.objects.create(
            user=author, event=services.REFLECTION_EVENT, channel=channel, enabled=False
        )
    clock.move_to(FRIDAY_4PM_TOKYO + dt.timedelta(minutes=1))
    run_pending_tasks()
    assert prompts(author) == 0
    assert ReflectionPrompt.objects.get(user=author).skipped == "opted out"
    assert ReflectionPrompt.objects.count() == 1  # the chain stops until they log a moment again


def test_e_mail_only_opt_out_still_prompts_in_the_app(clock, author):
    NotificationPreference.objects.create(
        user=author, event=services.REFLECTION_EVENT, channel="email", enabled=False
    )
    log(author)
    clock.move_to(FRIDAY_4PM_TOKYO + dt.timedelta(minutes=1))
    run_pending_tasks()
    assert prompts(author) == 1 and mail.outbox == []
