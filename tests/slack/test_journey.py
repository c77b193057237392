"""Done when: a person can write an ask, accept an offer, get reminders and give kudos entirely from Slack.

The journey runs in-process: the Django test client posts payloads signed as Slack signs them, the
background work runs through the real task queue and outbox, and every Web API call lands on the fake
Slack, which checks it against the documented shapes (the ``fake`` fixture fails on any violation).
"""

from __future__ import annotations

import json

import pytest

from openhelp.community.recognition.models import Kudos
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.integrations.slack import handlers
from openhelp.integrations.slack.models import SlackMessage
from tests.factories import SkillFactory
from tests.factories_routing import make_mentor
from tests.factories_slack import link

pytestmark = pytest.mark.django_db


def _ask_submission(user_id: str, *, title: str, skill_ids: list[int]) -> dict:
    values = {
        "title": {"title": {"type": "plain_text_input", "value": title}},
        "objective": {"objective": {"type": "plain_text_input", "value": "Write my first Django migration"}},
        "skills": {
            "skills": {
                "type": "multi_external_select",
                "selected_options": [
                    {"value": str(pk), "text": {"type": "plain_text", "text": "x"}} for pk in skill_ids
                ],
            }
        },
        "question": {
            "question": {"type": "plain_text_input", "value": "What breaks when a column is renamed?"}
        },
        "format": {"format": {"type": "static_select", "selected_option": {"value": "call30"}}},
        "urgency": {"urgency": {"type": "static_select", "selected_option": {"value": "this_week"}}},
    }
    return {
        "type": "view_submission",
        "user": {"id": user_id},
        "view": {"id": "V1", "callback_id": "ask_modal", "state": {"values": values}},
    }


def _click(user_id: str, action_id: str, value: str, message: SlackMessage) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": user_id},
        "channel": {"id": message.channel},
        "message": {"ts": message.ts},
        "container": {"type": "message", "message_ts": message.ts},
        "actions": [{"action_id": action_id, "value": value, "type": "button"}],
    }


def test_ask_offers_accept_updates_and_kudos_entirely_from_slack(slack, fake, workspace, owner):
    python = SkillFactory(name="Python", slug="python")
    mentee = link(owner, workspace, fake, slack_user_id="UMENTEE")
    mentors = [make_mentor((python, 5 - i), name=f"Mentor {i}") for i in range(3)]
    accounts = [link(m, workspace, fake, slack_user_id=f"UMENTOR{i}") for i, m in enumerate(mentors)]

    # /help opens the ask modal at once (views.open with the trigger id).
    response = slack.command("/help", user_id="UMENTEE", text="Django migrations")
    assert response.status_code == 200
    [opened] = fake.calls_to("views.open")
    assert opened.params["view"]["callback_id"] == "ask_modal"
    assert opened.params["view"]["blocks"][0]["element"]["initial_value"] == "Django migrations"

    # The skills select autocompletes from the real skills.
    response = slack.interaction(
        {
            "type": "block_suggestion",
            "user": {"id": "UMENTEE"},
            "action_id": "skills",
            "block_id": "skills",
            "value": "pyth",
        }
    )
    assert response.json() == {
        "options": [
            {"text": {"type": "plain_text", "text": "Python", "emoji": True}, "value": str(python.pk)}
        ]
    }

    # Submitting the modal saves the ask; publishing and routing run in the background.
    response = slack.interaction(_ask_submission("UMENTEE", title="Django migrations", skill_ids=[python.pk]))
    assert response.status_code == 200 and response.content == b""
    slack.drain()
    ask = Ask.objects.get(mentee=owner)
    assert ask.state == AskState.OFFERED
    offers = {o.mentor_id: o for o in Offer.objects.filter(ask=ask)}
    assert set(offers) == {m.pk for m in mentors}

    # Each of the three mentors got the offer as a DM with Accept / Decline / Pause me.
    offer_posts = [c for c in fake.calls_to("chat.postMessage") if "Can you help" in c.params["text"]]
    assert sorted(c.params["channel"] for c in offer_posts) == ["DUMENTOR0", "DUMENTOR1", "DUMENTOR2"]
    actions = offer_posts[0].params["blocks"][-1]["elements"]
    assert [a["action_id"] for a in actions] == ["offer_accept", "offer_decline", "offer_pause"]
    messages = {m.user_id: m for m in SlackMessage.objects.filter(kind=SlackMessage.Kind.OFFER)}
    assert set(messages) == {m.pk for m in mentors}
    # The mentee was told their ask is out (a DM: the modal has no channel).
    assert any(
        "is out" in c.params["text"]
        for c in fake.calls_to("chat.postMessage")
        if c.params["channel"] == "DUMENTEE"
    )

    # Mentor 0 accepts from Slack; the others' messages update in place.
    winner = mentors[0]
    response = slack.interaction(
        _click("UMENTOR0", "offer_accept", str(offers[winner.pk].pk), messages[winner.pk])
    )
    assert response.status_code == 200
    slack.drain()
    ask.refresh_from_db()
    assert ask.state == AskState.ACCEPTED and ask.helper_id == winner.pk
    updates = {c.params["ts"]: c.params for c in fake.calls_to("chat.update")}
    assert set(updates) == {m.ts for m in messages.values()}
    assert "You accepted" in json.dumps(updates[messages[winner.pk].ts]["blocks"])
    for loser in mentors[1:]:
        update = updates[messages[loser.pk].ts]
        assert "Someone else took this ask" in json.dumps(update["blocks"])
        assert all(b["type"] != "actions" for b in update["blocks"])
        assert Offer.objects.get(pk=offers[loser.pk].pk).state == OfferState.WITHDRAWN
    assert not SlackMessage.objects.filter(kind=SlackMessage.Kind.OFFER, final=False).exists()
    assert handlers.refresh_offer_messages(ask_ids=[ask.pk]) == 0  # a repeated delivery changes nothing

    # The mentee thanks the mentor with /kudos.
    calls_before = len(fake.calls)
    response = slack.command("/kudos", user_id="UMENTEE", text="<@UMENTOR0|mentor0> for a clear explanation")
    assert response.status_code == 200
    assert len(fake.calls) == calls_before and not Kudos.objects.exists()  # acknowledged; the work is queued
    slack.drain()
    kudos = Kudos.objects.get()
    assert (kudos.giver, kudos.receiver, kudos.message) == (owner, winner, "a clear explanation")
    assert any("Kudos sent" in c.params["text"] for c in fake.calls_to("chat.postEphemeral"))
    assert accounts[0].user == winner and mentee.user == owner
