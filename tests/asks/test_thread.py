"""Helping asynchronously: the thread, answering, confirming, following up, agreeing a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openhelp.help.asks import services
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition
from openhelp.help.asks.models import AskEvent, AskFormat, AskState, Message
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_asks import ask_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(mentee, helper, co_asker):
    return ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, co_askers=[co_asker])


def notified(event: str) -> list:
    return sorted(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))


def test_it_posts_a_message_and_tells_every_other_participant_once(accepted, mentee, helper, co_asker):
    message = services.post_message(ask=accepted, author=helper, body="Try a **chi-squared** test.")

    assert message.author == helper
    assert notified("ask.message.received") == sorted([mentee.email, co_asker.email])
    notice = Notification.objects.filter(event="ask.message.received").first()
    assert notice.url.endswith(f"#message-{message.pk}")
    assert "chi-squared" in notice.body
    # Delivering the same message's notification again (a retry) adds nothing.
    services._notify(
        accepted,
        event="ask.message.received",
        recipients=[mentee],
        title="again",
        key=f"ask-message:{message.pk}",
    )
    assert Notification.objects.filter(event="ask.message.received", recipient=mentee).count() == 1


def test_it_sanitises_the_markdown_of_messages(accepted, mentee):
    message = services.post_message(
        ask=accepted, author=mentee, body="**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )

    html = str(message.body_html)
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_it_keeps_strangers_out_of_the_thread(accepted):
    with pytest.raises(PermissionDenied):
        services.post_message(ask=accepted, author=UserFactory(), body="hi")
    assert not Message.objects.exists()


def test_it_opens_the_thread_only_once_accepted_and_closes_it_at_the_end(mentee):
    for state, words in [(AskState.OPEN, "once an expert accepts"), (AskState.COMPLETED, "closed")]:
        ask = ask_in_state(state, mentee=mentee)
        with pytest.raises(AskConflict, match=words):
            services.post_message(ask=ask, author=mentee, body="hello?")


def test_it_refuses_an_empty_or_huge_message(accepted, mentee):
    for body in ["   ", "x" * 10_001]:
        with pytest.raises(ValidationError) as error:
            services.post_message(ask=accepted, author=mentee, body=body)
        assert "body" in error.value.message_dict


def test_it_lets_the_helper_answer_and_the_mentee_confirm(accepted, mentee, helper, co_asker):
    services.mark_answered(ask=accepted, actor=helper, body="Here is the full answer.")
    accepted.refresh_from_db()
    assert accepted.state == AskState.ANSWERED
    assert Message.objects.get(ask=accepted).body == "Here is the full answer."
    assert notified("ask.answered") == sorted([mentee.email, co_asker.email])

    services.confirm_helped(ask=accepted, actor=mentee)
    accepted.refresh_from_db()
    assert accepted.state == AskState.COMPLETED
    assert notified("ask.completed") == [helper.email]
    kinds = list(AskEvent.objects.filter(ask=accepted).values_list("kind", flat=True))
    assert kinds == ["answered", "completed"]


def test_it_lets_only_the_helper_mark_answered(accepted, mentee, co_asker):
    for person in (mentee, co_asker):
        with pytest.raises(PermissionDenied):
            services.mark_answered(ask=accepted, actor=person)
    accepted.refresh_from_db()
    assert accepted.state == AskState.ACCEPTED


def test_it_lets_only_the_mentee_confirm_it_helped(accepted, helper, co_asker):
    for person in (helper, co_asker):
        with pytest.raises(PermissionDenied):
            services.confirm_helped(ask=accepted, actor=person)


def test_it_reopens_the_conversation_with_a_follow_up(accepted, mentee, helper):
    services.mark_answered(ask=accepted, actor=helper)
    accepted.refresh_from_db()

    services.ask_follow_up(ask=accepted, actor=mentee, body="And for small samples?")

    accepted.refresh_from_db()
    assert accepted.state == AskState.ACCEPTED
    assert Message.objects.get(ask=accepted).body == "And for small samples?"
    assert helper.email in notified("ask.message.received")
    # Answered a second time: the mentee is told again (a new event, not a duplicate).
    services.mark_answered(ask=accepted, actor=helper)
    assert Notification.objects.filter(event="ask.answered", recipient=mentee).count() == 2


def test_it_refuses_marking_answered_twice(accepted, helper):
    services.mark_answered(ask=accepted, actor=helper)

    with pytest.raises(IllegalTransition):
        services.mark_answered(ask=accepted, actor=helper, body="again")
    assert not Message.objects.exists()


def test_it_records_the_agreed_time_for_a_call(accepted, mentee, helper):
    when = now() + dt.timedelta(days=2)

    services.record_agreed_time(
        ask=accepted, actor=helper, scheduled_for=when, place="https://meet.example.org/x"
    )

    accepted.refresh_from_db()
    assert accepted.state == AskState.SCHEDULED
    assert accepted.scheduled_for == when
    assert accepted.scheduled_place == "https://meet.example.org/x"
    assert mentee.email in notified("ask.scheduled")

    later = when + dt.timedelta(hours=3)
    services.record_agreed_time(ask=accepted, actor=mentee, scheduled_for=later, place="Room 4")
    accepted.refresh_from_db()
    assert (accepted.state, accepted.scheduled_for, accepted.scheduled_place) == (
        AskState.SCHEDULED,
        later,
        "Room 4",
    )
    assert AskEvent.objects.filter(ask=accepted, kind="rescheduled").exists()
    assert Notification.objects.filter(event="ask.scheduled", recipient=helper).count() == 1


def test_it_refuses_a_past_time_an_empty_place_or_an_async_ask(accepted, mentee, helper):
    with pytest.raises(ValidationError) as error:
        services.record_agreed_time(
            ask=accepted, actor=helper, scheduled_for=now() - dt.timedelta(hours=1), place=""
        )
    assert set(error.value.message_dict) == {"scheduled_for", "place"}

    async_ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, format=AskFormat.ASYNC)
    with pytest.raises(AskConflict, match="async"):
        services.record_agreed_time(
            ask=async_ask, actor=helper, scheduled_for=now() + dt.timedelta(days=1), place="x"
        )


def test_it_lets_only_the_mentee_or_helper_agree_a_time(accepted, co_asker):
    with pytest.raises(PermissionDenied):
        services.record_agreed_time(
            ask=accepted, actor=co_asker, scheduled_for=now() + dt.timedelta(days=1), place="x"
        )


# --- On the web ---------------------------------------------------------------------------------------


def test_it_shows_the_thread_to_co_askers_and_lets_them_write(accepted, co_asker_client, mentee):
    response = co_asker_client.post(reverse("asks:message", args=[accepted.pk]), {"body": "Team note"})

    assert response.status_code == 302
    page = co_asker_client.get(reverse("asks:detail", args=[accepted.pk])).content.decode()
    assert "Team note" in page
    assert mentee.email in notified("ask.message.received")


def test_it_keeps_an_empty_message_form_with_its_error(accepted, mentee_client):
    response = mentee_client.post(reverse("asks:message", args=[accepted.pk]), {"body": ""})

    assert response.status_code == 400
    assert "body" in response.context["message_form"].errors


def test_it_runs_the_whole_async_loop_on_the_web(accepted, mentee_client, helper_client):
    helper_client.post(reverse("asks:answered", args=[accepted.pk]), {"body": "Use a chi-squared test."})
    page = mentee_client.get(reverse("asks:detail", args=[accepted.pk])).content.decode()
    assert "Did it help?" in page and "Ask a follow-up" in page

    mentee_client.post(reverse("asks:follow-up", args=[accepted.pk]), {"body": "Why not a t-test?"})
    accepted.refresh_from_db()
    assert accepted.state == AskState.ACCEPTED

    mentee_client.post(reverse("asks:complete", args=[accepted.pk]))
    accepted.refresh_from_db()
    assert accepted.state == AskState.COMPLETED


def test_it_schedules_from_the_web_in_the_viewers_time_zone(accepted, helper_client):
    # The helper's profile is in Europe/Berlin (the factory default): 10:00 there is 09:00 UTC in winter.
    day = (now() + dt.timedelta(days=30)).date()
    helper_client.post(
        reverse("asks:schedule", args=[accepted.pk]),
        {"scheduled_for": f"{day:%Y-%m-%d}T10:00", "place": "https://meet.example.org/x"},
    )

    accepted.refresh_from_db()
    assert accepted.state == AskState.SCHEDULED
    local = accepted.scheduled_for.astimezone(dt.UTC)
    assert local.hour in {8, 9}  # 8 in summer time, 9 in winter time


def test_it_shows_a_notice_when_a_helper_tries_a_mentee_step(accepted, helper_client):
    response = helper_client.post(reverse("asks:complete", args=[accepted.pk]), follow=True)

    assert response.status_code == 200
    assert "Only the person who wrote the ask" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.state == AskState.ACCEPTED


def test_it_emails_a_new_message_with_a_link_back_to_the_thread(
    accepted, mentee, helper, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.harness.tasks import run_pending_tasks

    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(
            ask=accepted, author=helper, body="Have a look at **Fisher's exact test**."
        )
    run_pending_tasks()

    sent = [m for m in mailoutbox if mentee.email in m.to]
    assert len(sent) == 1
    assert "Hana Helper wrote on" in sent[0].subject
    assert "Reply in the thread" in sent[0].body
    assert f"/asks/{accepted.pk}/#message-{message.pk}" in sent[0].body


def test_it_respects_each_persons_notification_preferences(
    accepted, mentee, helper, mailoutbox, django_capture_on_commit_callbacks
):
    from openhelp.platform.notifications.models import NotificationPreference
    from tests.harness.tasks import run_pending_tasks

    for channel in ("email", "in_app"):
        NotificationPreference.objects.create(
            user=mentee, event="ask.message.received", channel=channel, enabled=False
        )

    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(ask=accepted, author=helper, body="Quiet, please.")
    run_pending_tasks()

    assert [m.to for m in mailoutbox] == [[accepted.co_askers.get().email]]  # the others still hear
    notice = Notification.objects.get(event="ask.message.received", recipient=mentee)
    assert notice.show_in_app is False
    assert not [m for m in mailoutbox if mentee.email in m.to]
