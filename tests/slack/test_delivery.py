"""Notifications as Slack DMs (reminders, debrief prompts), the daily cap, the kill switch, Retry-After,
the join link as it opens, the status badge, the weekly digest, uninstall clean-up, App Home."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from openhelp.community.recognition.models import Kudos
from openhelp.directory.people.models import Profile
from openhelp.help.mentoring.lifecycle import JOIN_OPENS_BEFORE
from openhelp.help.mentoring.models import SessionState
from openhelp.integrations.slack import tasks
from openhelp.integrations.slack.models import LinkRequest, SlackAccount, SlackMessage, Workspace
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.services import notify
from tests.factories import UserFactory
from tests.factories_mentoring import SessionFactory
from tests.factories_routing import OfferFactory
from tests.factories_slack import link
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(owner, workspace, fake):
    return link(owner, workspace, fake, slack_user_id="UOWNER")


def _remind(slack, user, n: int = 1, event: str = "session.debrief_reminder"):
    with slack.capture(execute=True):
        notify(
            event=event,
            recipients=[user],
            title=f"How did it go? ({n})",
            body="Two minutes for takeaways.",
            url="/sessions/1/debrief/",
            dedupe_key=f"test:{n}",
        )
    slack.drain()


def test_the_debrief_prompt_arrives_as_a_dm_with_buttons_and_no_email(slack, fake, linked, owner, mailoutbox):
    _remind(slack, owner)
    [post] = fake.calls_to("chat.postMessage")
    assert post.params["channel"] == "DUOWNER"
    buttons = post.params["blocks"][-1]["elements"]
    assert buttons[0]["url"] == "https://help.example.org/sessions/1/debrief/"
    assert [b["text"]["text"] for b in buttons] == ["Write the debrief", "Thank them"]
    assert mailoutbox == []
    assert SlackMessage.objects.get().kind == SlackMessage.Kind.NOTICE


def test_thank_them_under_the_debrief_prompt_gives_kudos_for_that_session(
    slack, fake, linked, owner, workspace
):
    mentor = link(UserFactory(), workspace, fake, slack_user_id="UMENTOR")
    session = SessionFactory(mentee=owner, mentor=mentor.user, starts_at=now() - dt.timedelta(hours=2))
    with slack.capture(execute=True):
        notify(
            event="session.debrief_reminder",
            recipients=[owner],
            title="Two minutes?",
            context={"session_id": session.pk},
            url="/x/",
            dedupe_key="debrief",
        )
    slack.drain()
    [post] = fake.calls_to("chat.postMessage")
    thank = post.params["blocks"][-1]["elements"][1]
    slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "UOWNER"},
            "channel": {"id": "DUOWNER"},
            "message": {"ts": post.params["channel"]},
            "actions": [thank],
        }
    )
    [opened] = fake.calls_to("views.open")
    assert opened.params["view"]["blocks"][0]["element"]["initial_user"] == "UMENTOR"
    view = opened.params["view"]
    submission = {
        "type": "view_submission",
        "user": {"id": "UOWNER"},
        "view": {
            "id": "V1",
            "callback_id": "kudos_modal",
            "private_metadata": view["private_metadata"],
            "state": {
                "values": {
                    "receiver": {"receiver": {"selected_user": "UMENTOR"}},
                    "message": {"message": {"value": "Thanks for the pairing"}},
                }
            },
        },
    }
    assert slack.interaction(submission).content == b""
    slack.drain()
    kudos = Kudos.objects.get()
    assert (kudos.receiver, kudos.session, kudos.message) == (mentor.user, session, "Thanks for the pairing")


def test_booking_reminders_arrive_too(slack, fake, linked, owner):
    _remind(slack, owner, event="booking.reminder")
    assert "How did it go" in fake.calls_to("chat.postMessage")[0].params["text"]


def test_the_daily_cap_stops_messages_for_the_day(slack, fake, linked, owner, workspace):
    Workspace.objects.filter(pk=workspace.pk).update(daily_message_cap=1)
    _remind(slack, owner, 1)
    _remind(slack, owner, 2)
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_the_kill_switch_silences_the_workspace(slack, fake, linked, owner, workspace, mailoutbox):
    Workspace.objects.filter(pk=workspace.pk).update(enabled=False)
    _remind(slack, owner)
    assert fake.calls_to("chat.postMessage") == []
    assert len(mailoutbox) == 1  # not linked on any live transport: e-mail as usual


def test_retry_after_is_honoured(slack, fake, linked, owner, workspace):
    fake.rate_limit("views.publish", retry_after=30)
    slack.event({"type": "app_home_opened", "user": "UOWNER", "tab": "home"}, event_id="EvHome")
    slack.drain()
    assert len(fake.calls_to("views.publish")) == 1  # answered 429
    workspace.refresh_from_db()
    assert abs(workspace.rate_limited_until - (now() + dt.timedelta(seconds=30))) < dt.timedelta(seconds=5)
    with time_machine.travel(now() + dt.timedelta(seconds=20)):
        assert run_pending_tasks() == 0  # not before Retry-After
    with time_machine.travel(now() + dt.timedelta(seconds=40)):
        assert run_pending_tasks() == 1
    assert len(fake.calls_to("views.publish")) == 2
    assert fake.calls_to("views.publish")[-1].params["view"]["type"] == "home"


def test_app_home_shows_my_offers_asks_sessions_and_the_challenge(slack, fake, linked, owner):
    offer = OfferFactory(mentor=owner)
    SessionFactory(mentor=owner, starts_at=now() + dt.timedelta(days=1), title="Pairing on tests")
    slack.event({"type": "app_home_opened", "user": "UOWNER", "tab": "home"}, event_id="EvHome2")
    slack.drain()
    view = json.dumps(fake.calls_to("views.publish")[0].params["view"])
    for text in ("My offers", offer.ask.title, "My asks", "Pairing on tests", "0 of 3 moments this week"):
        assert text in view


def test_app_home_invites_an_unlinked_person_to_link(slack, fake, workspace):
    slack.event({"type": "app_home_opened", "user": "USTRANGER", "tab": "home"}, event_id="EvHome3")
    slack.drain()
    assert "link_start" in json.dumps(fake.calls_to("views.publish")[0].params["view"])


def test_uninstall_deletes_tokens_and_links(slack, fake, linked, workspace, owner):
    LinkRequest.objects.create(
        workspace=workspace,
        slack_user_id="U9",
        user=owner,
        email=owner.email,
        expires_at=now() + dt.timedelta(hours=1),
    )
    slack.event({"type": "app_uninstalled"}, event_id="EvBye")
    slack.drain()
    workspace.refresh_from_db()
    assert workspace.bot_token == "" and workspace.uninstalled_at is not None
    assert not SlackAccount.objects.exists() and not LinkRequest.objects.exists()


def test_revoked_user_tokens_turn_the_status_off(slack, fake, linked, workspace):
    SlackAccount.objects.filter(pk=linked.pk).update(user_token="xoxp-1", status_opt_in=True)
    slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["UOWNER"]}}, event_id="EvRevoke")
    slack.drain()
    linked.refresh_from_db()
    assert (linked.user_token, linked.status_opt_in) == ("", False)
    workspace.refresh_from_db()
    assert workspace.is_installed


def test_the_join_link_is_sent_once_as_the_link_opens(slack, fake, linked, owner):
    SessionFactory(
        mentee=owner, starts_at=now() + dt.timedelta(minutes=2), place="https://meet.example.org/abc"
    )
    SessionFactory(mentee=owner, starts_at=now() + dt.timedelta(hours=2))
    with slack.capture(execute=True):
        tasks.join_links_task.enqueue()
        tasks.join_links_task.enqueue()
    slack.drain()
    [post] = fake.calls_to("chat.postMessage")
    assert "<https://meet.example.org/abc|Join now>" in json.dumps(post.params["blocks"])


START = dt.datetime(2027, 3, 10, 14, 30, tzinfo=dt.UTC)  # 15:30 in Berlin


def _join_links_at(slack, moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        with slack.capture(execute=True):
            tasks.join_links_task.enqueue()
        slack.drain()


def test_the_join_link_goes_out_ten_minutes_before_the_start_as_the_session_page_opens_it(
    slack, fake, linked, owner
):
    assert JOIN_OPENS_BEFORE == dt.timedelta(minutes=10)
    Profile.objects.filter(user=owner).update(timezone="Europe/Berlin")
    SessionFactory(mentee=owner, starts_at=START, place="https://meet.example.org/abc")
    _join_links_at(slack, START - dt.timedelta(minutes=11))
    assert fake.calls_to("chat.postMessage") == []
    _join_links_at(slack, START - JOIN_OPENS_BEFORE)
    [post] = fake.calls_to("chat.postMessage")
    assert post.params["text"].endswith(" starts Wed 10 Mar, 15:30 CET")
    assert "15:30 CET" in post.params["blocks"][0]["text"]["text"]
    _join_links_at(slack, START - dt.timedelta(minutes=4))
    assert len(fake.calls_to("chat.postMessage")) == 1  # once per session and person


def test_a_late_run_still_sends_the_link_of_a_call_in_progress_but_none_for_a_call_that_is_over(
    slack, fake, linked, owner
):
    going_on = SessionFactory(mentee=owner, starts_at=START, ends_at=START + dt.timedelta(minutes=60))
    SessionFactory(mentee=owner, starts_at=START, ends_at=START + dt.timedelta(minutes=20))
    _join_links_at(slack, START + dt.timedelta(minutes=25))
    [post] = fake.calls_to("chat.postMessage")
    assert SlackMessage.objects.get().session_id == going_on.pk
    assert f"{going_on.title} started" in post.params["text"]


def test_no_join_link_for_a_cancelled_session(slack, fake, linked, owner):
    SessionFactory(mentee=owner, starts_at=START, state=SessionState.CANCELLED)
    _join_links_at(slack, START - dt.timedelta(minutes=5))
    assert fake.calls_to("chat.postMessage") == []


def test_the_status_follows_capacity_and_pause(fake, linked, owner):
    SlackAccount.objects.filter(pk=linked.pk).update(
        user_token=fake.issue_bot_token().replace("xoxb", "xoxp"), status_opt_in=True
    )
    fake.user_tokens.add(SlackAccount.objects.get().user_token)
    Profile.objects.filter(user=owner).update(open_to_help=True)
    tasks.status_sync_task.call()
    tasks.status_sync_task.call()  # unchanged: no second call
    Profile.objects.filter(user=owner).update(paused_until=now().date() + dt.timedelta(days=3))
    tasks.status_sync_task.call()
    texts = [c.params["profile"]["status_text"] for c in fake.calls_to("users.profile.set")]
    assert texts == ["Open to help", ""]


def test_the_weekly_digest_goes_to_those_who_opted_in_once_a_week(fake, linked, owner, workspace):
    SlackAccount.objects.filter(pk=linked.pk).update(digest_opt_in=True)
    OfferFactory(mentor=owner)
    tasks.weekly_digest_task.call()
    tasks.weekly_digest_task.call()
    [post] = fake.calls_to("chat.postMessage")
    assert "1 offer waiting for your answer" in json.dumps(post.params["blocks"])
