"""Ceilings on what one person can make the platform send to others (``help.asks.limits``): asks published a
day, thread messages an hour, co-askers invited a day. Found missing by the security probe: a member (or a
script with their token) could publish, write and invite without end, and each one e-mails other people.
The API answers 429 in its error shape; pages keep what was typed and say why."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from openhelp.help.asks import services
from openhelp.help.asks.models import AskState, CoAskerInvitation, Message
from openhelp.platform.lib.ratelimit import RateLimited
from tests.factories import UserFactory, make_access_token
from tests.factories_asks import AskFactory, ask_in_state

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    _, raw_key = make_access_token(user)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


@pytest.fixture
def accepted(mentee, helper):
    return ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)


@override_settings(ASKS_PUBLISHED_PER_DAY=2)
def test_publishing_stops_at_the_daily_ceiling_and_keeps_the_draft(mentee, skills, committed):
    with committed():
        for _ in range(2):
            services.publish_ask(ask=AskFactory(mentee=mentee, skills=[skills["python"]]), actor=mentee)
    third = AskFactory(mentee=mentee, skills=[skills["python"]])
    with pytest.raises(RateLimited, match="published 2 asks today"):
        services.publish_ask(ask=third, actor=mentee)
    third.refresh_from_db()
    assert third.state == AskState.DRAFT

    response = _api(mentee).post(reverse("api:asks-publish", args=[third.pk]))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "publish it tomorrow" in response.json()["error"]["message"]

    # Someone else's allowance is their own.
    other = UserFactory()
    services.publish_ask(ask=AskFactory(mentee=other, skills=[skills["python"]]), actor=other)


@override_settings(ASK_MESSAGES_PER_HOUR=3)
def test_messages_stop_at_the_hourly_ceiling(accepted, mentee, helper, client):
    for number in range(3):
        services.post_message(ask=accepted, author=helper, body=f"Step {number}")
    with pytest.raises(RateLimited, match="3 messages this hour"):
        services.post_message(ask=accepted, author=helper, body="One more")
    services.post_message(ask=accepted, author=mentee, body="Thanks!")  # the mentee's own allowance

    api = _api(helper).post(
        reverse("api:asks-messages", args=[accepted.pk]), {"body": "API"}, content_type="application/json"
    )
    assert api.status_code == 429

    client.force_login(helper)
    page = client.post(reverse("asks:message", args=[accepted.pk]), {"body": "Kept text"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "messages this hour" in html and "Kept text" in html
    assert Message.objects.filter(ask=accepted).count() == 4


@override_settings(CO_ASKER_INVITATIONS_PER_DAY=2)
def test_co_asker_invitations_stop_at_the_daily_ceiling(mentee):
    people = [UserFactory() for _ in range(3)]
    ask = AskFactory(mentee=mentee)
    services.set_co_askers(ask=ask, actor=mentee, co_askers=people[:2])
    other = AskFactory(mentee=mentee)
    with pytest.raises(RateLimited, match="invite 0 more co-askers today"):
        services.set_co_askers(ask=other, actor=mentee, co_askers=[people[2]])
    assert CoAskerInvitation.objects.count() == 2
    # Keeping the same list invites no one new, so it is never refused.
    services.set_co_askers(ask=ask, actor=mentee, co_askers=people[:2])
