"""Buttons, modals, shortcuts and commands: errors show in the modal, work runs in the background, and
the product's own services do it (routing, recognition, moments, asks)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress

from openhelp.community.moments.models import Moment
from openhelp.community.recognition.models import Kudos
from openhelp.directory.people.models import Profile
from openhelp.help.asks.models import Ask
from openhelp.help.routing.models import OfferState
from openhelp.integrations.slack.models import LinkRequest, SlackMessage
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory
from tests.factories_accounts import verify
from tests.factories_routing import OfferFactory
from tests.factories_slack import link

pytestmark = pytest.mark.django_db


def _values(**blocks):
    return {block_id: {block_id: value} for block_id, value in blocks.items()}


def _submission(user_id: str, callback_id: str, values: dict, metadata: dict | None = None) -> dict:
    view = {"id": "V1", "callback_id": callback_id, "state": {"values": values}}
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata)
    return {"type": "view_submission", "user": {"id": user_id}, "view": view}


@pytest.fixture
def mentor(owner, workspace, fake):
    return link(owner, workspace, fake, slack_user_id="UOWNER")


@pytest.fixture
def offer(mentor, workspace):
    offer = OfferFactory(mentor=mentor.user)
    SlackMessage.objects.create(
        workspace=workspace,
        channel="DUOWNER",
        ts="1.1",
        kind=SlackMessage.Kind.OFFER,
        user=mentor.user,
        offer_id=offer.pk,
        ask_id=offer.ask_id,
    )
    return offer


def _button(action_id: str, value: str) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": "UOWNER"},
        "channel": {"id": "DUOWNER"},
        "message": {"ts": "1.1"},
        "actions": [{"action_id": action_id, "value": value}],
    }


def test_decline_opens_a_modal_and_other_needs_a_note(slack, fake, offer):
    slack.interaction(_button("offer_decline", str(offer.pk)))
    [opened] = fake.calls_to("views.open")
    assert opened.params["view"]["callback_id"] == "decline_modal"
    metadata = json.loads(opened.params["view"]["private_metadata"])
    values = _values(
        reason={"type": "radio_buttons", "selected_option": {"value": "other"}},
        note={"type": "plain_text_input", "value": ""},
    )
    response = slack.interaction(_submission("UOWNER", "decline_modal", values, metadata))
    assert response.json() == {
        "response_action": "errors",
        "errors": {"note": "Say in a few words why, so we route it better next time."},
    }
    values["reason"]["reason"]["selected_option"]["value"] = "no_time"
    assert slack.interaction(_submission("UOWNER", "decline_modal", values, metadata)).content == b""
    slack.drain()
    offer.refresh_from_db()
    assert (offer.state, offer.decline_reason) == (OfferState.DECLINED, "no_time")
    [update] = [c for c in fake.calls_to("chat.update") if c.params["ts"] == "1.1"]
    assert "You declined this ask (no time this week)" in json.dumps(update.params["blocks"])


def test_pause_me_pauses_and_passes_pending_offers_on(slack, fake, offer, owner):
    slack.interaction(_button("offer_pause", str(offer.pk)))
    [opened] = fake.calls_to("views.open")
    assert opened.params["view"]["callback_id"] == "pause_modal"
    past = _values(until={"type": "datepicker", "selected_date": now().date().isoformat()})
    assert slack.interaction(_submission("UOWNER", "pause_modal", past))["Content-Type"] == "application/json"
    until = now().date() + dt.timedelta(days=10)
    slack.interaction(
        _submission(
            "UOWNER", "pause_modal", _values(until={"type": "datepicker", "selected_date": until.isoformat()})
        )
    )
    slack.drain()
    assert Profile.objects.get(user=owner).paused_until == until
    assert fake.calls_to("views.publish")  # App Home shows the change
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED


def test_accepting_a_closed_offer_says_why_in_slack(slack, fake, offer):
    offer.state = OfferState.EXPIRED
    offer.save()
    slack.interaction(_button("offer_accept", str(offer.pk)))
    slack.drain()
    [reply] = fake.calls_to("chat.postEphemeral")
    assert reply.params["channel"] == "DUOWNER" and "has expired" in reply.params["text"]
    [update] = fake.calls_to("chat.update")
    assert "This offer expired." in json.dumps(update.params["blocks"])


def test_someone_elses_offer_button_does_nothing(slack, fake, mentor, workspace):
    other = OfferFactory()
    slack.interaction(_button("offer_accept", str(other.pk)))
    slack.drain()
    other.refresh_from_db()
    assert other.state == OfferState.PENDING
    assert fake.calls_to("chat.update") == []


def test_the_ask_modal_shows_service_errors_next_to_the_fields(slack, mentor):
    values = _values(
        title={"value": ""},
        objective={"value": "x"},
        skills={"selected_options": []},
        question={"value": ""},
        format={"selected_option": {"value": "call30"}},
        urgency={"selected_option": {"value": "today"}},
    )
    response = slack.interaction(_submission("UOWNER", "ask_modal", values))
    errors = response.json()["errors"]
    assert response.json()["response_action"] == "errors"
    assert set(errors) >= {"skills", "question"}
    assert "title" not in errors  # an empty title is taken from the objective, as on the web
    assert not Ask.objects.exists()


def test_thank_for_this_shortcut_opens_a_prefilled_kudos_modal_and_sends_kudos(
    slack, fake, mentor, workspace
):
    helper = link(UserFactory(), workspace, fake, slack_user_id="UHELPER")
    slack.interaction(
        {
            "type": "message_action",
            "callback_id": "thank_for_this",
            "user": {"id": "UOWNER"},
            "channel": {"id": "C0GENERAL"},
            "message": {"user": "UHELPER", "text": "Try select_related", "ts": "5.5"},
        }
    )
    [opened] = fake.calls_to("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "kudos_modal"
    assert view["blocks"][0]["element"]["initial_user"] == "UHELPER"
    values = _values(
        receiver={"type": "users_select", "selected_user": "UHELPER"},
        message={"value": "Your select_related tip saved my page"},
    )
    assert (
        slack.interaction(
            _submission("UOWNER", "kudos_modal", values, json.loads(view["private_metadata"]))
        ).content
        == b""
    )
    slack.drain()
    kudos = Kudos.objects.get()
    assert (kudos.receiver, kudos.message) == (helper.user, "Your select_related tip saved my page")
    assert fake.calls_to("chat.postEphemeral")[-1].params["channel"] == "C0GENERAL"


def test_kudos_to_yourself_is_a_modal_error(slack, mentor):
    values = _values(receiver={"selected_user": "UOWNER"}, message={"value": "me"})
    response = slack.interaction(_submission("UOWNER", "kudos_modal", values))
    assert "yourself" in response.json()["errors"]["receiver"]


def test_kudos_to_someone_unlinked_says_so(slack, fake, mentor):
    slack.command("/kudos", user_id="UOWNER", text="<@UNOBODY> for nothing")
    slack.drain()
    assert "not linked Slack" in fake.calls_to("chat.postEphemeral")[-1].params["text"]
    assert not Kudos.objects.exists()


def test_moment_logs_in_seconds_and_shows_the_challenge(slack, fake, mentor, owner):
    response = slack.command("/moment", user_id="UOWNER", text="encouragement: cheered on a new joiner")
    assert response.json()["response_type"] == "ephemeral"
    slack.drain()
    moment = Moment.objects.get(author=owner)
    assert (moment.kind, moment.note) == ("encouragement", "cheered on a new joiner")
    assert "1 of 3 moments this week" in fake.calls_to("chat.postEphemeral")[-1].params["text"]


def test_an_unlinked_person_gets_a_link_to_confirm(slack, fake, workspace, owner):
    verify(owner)
    fake.add_user("UNEW", "OWNER@example.org")
    response = slack.command("/help", user_id="UNEW")
    assert "Link your Open to Help account" in response.json()["text"]
    slack.drain()
    link_request = LinkRequest.objects.get()
    assert (link_request.user, link_request.slack_user_id) == (owner, "UNEW")
    reply = fake.calls_to("chat.postEphemeral")[-1].params
    assert f"https://help.example.org/integrations/slack/link/{link_request.token}/" in reply["text"]
    assert fake.calls_to("views.open") == []


def test_an_unverified_address_does_not_match(slack, fake, workspace, owner):
    EmailAddress.objects.create(user=owner, email=owner.email, verified=False, primary=True)
    fake.add_user("UNEW", owner.email)
    slack.command("/moment", user_id="UNEW", text="hello")
    slack.drain()
    assert not LinkRequest.objects.exists()
    assert "found no Open to Help account" in fake.calls_to("chat.postEphemeral")[-1].params["text"]
