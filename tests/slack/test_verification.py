"""Every request is verified: v0 HMAC over the raw body, a five-minute window, no replay; Slack's own
retries are answered 200 without doing the work twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from openhelp.integrations.slack.models import ProcessedRequest
from openhelp.integrations.slack.verification import prune_processed
from openhelp.platform.lib.clock import now
from tests.factories_slack import link
from tests.harness.tasks import queued_task_names

pytestmark = pytest.mark.django_db

HOME = {"type": "app_home_opened", "user": "UOWNER", "tab": "home"}


def test_it_refuses_a_wrong_signature(slack, workspace):
    response = slack.event(HOME, event_id="Ev1", secret="not-the-secret")
    assert response.status_code == 401
    assert queued_task_names() == []


def test_it_refuses_a_body_changed_after_signing(slack, workspace, client):
    ts = str(int(now().timestamp()))
    from openhelp.integrations.slack.verification import signature_for

    signature = signature_for(secret="test-signing-secret", timestamp=ts, body=b'{"type":"event_callback"}')
    response = client.generic(
        "POST",
        reverse("slack:events"),
        b'{"type":"event_callback","x":1}',
        content_type="application/json",
        HTTP_X_SLACK_REQUEST_TIMESTAMP=ts,
        HTTP_X_SLACK_SIGNATURE=signature,
    )
    assert response.status_code == 401


@pytest.mark.parametrize("age", [dt.timedelta(minutes=5, seconds=30), -dt.timedelta(minutes=6)])
def test_it_refuses_a_timestamp_outside_five_minutes(slack, workspace, age):
    response = slack.event(HOME, event_id="Ev2", timestamp=int((now() - age).timestamp()))
    assert response.status_code == 401


def test_it_accepts_a_timestamp_just_inside_the_window(slack, workspace):
    response = slack.event(HOME, event_id="Ev3", timestamp=int((now() - dt.timedelta(minutes=4)).timestamp()))
    assert response.status_code == 200


def test_it_refuses_missing_headers(client, fake, workspace):
    response = client.post(reverse("slack:events"), b"{}", content_type="application/json")
    assert response.status_code == 401


def test_a_replay_of_the_same_signed_request_is_refused(slack, workspace):
    moment = int(now().timestamp())
    assert slack.event(HOME, event_id="Ev4", timestamp=moment).status_code == 200
    assert slack.event(HOME, event_id="Ev4", timestamp=moment).status_code == 401
    assert queued_task_names().count("openhelp.integrations.slack.tasks.event_task") == 1


def test_slack_retries_are_answered_200_and_done_once(slack, fake, workspace, owner):
    link(owner, workspace, fake, slack_user_id="UOWNER")
    assert slack.event(HOME, event_id="Ev5").status_code == 200
    retry = slack.event(
        HOME,
        event_id="Ev5",
        timestamp=int(now().timestamp()) - 1,
        headers={"HTTP_X_SLACK_RETRY_NUM": "1", "HTTP_X_SLACK_RETRY_REASON": "http_timeout"},
    )
    assert retry.status_code == 200
    slack.drain()
    assert len(fake.calls_to("views.publish")) == 1


def test_a_duplicate_event_id_without_retry_header_is_not_done_twice(slack, fake, workspace, owner):
    link(owner, workspace, fake, slack_user_id="UOWNER")
    assert slack.event(HOME, event_id="Ev6").status_code == 200
    assert slack.event(HOME, event_id="Ev6", timestamp=int(now().timestamp()) - 2).status_code == 200
    slack.drain()
    assert len(fake.calls_to("views.publish")) == 1


def test_it_answers_the_url_verification_challenge(slack, workspace):
    body = b'{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}'
    response = slack.signed(reverse("slack:events"), body, "application/json")
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_the_endpoints_are_404_when_slack_is_not_configured(slack, workspace, settings):
    settings.SLACK_SIGNING_SECRET = ""
    assert slack.event(HOME, event_id="Ev7").status_code == 404
    assert slack.command("/help", user_id="U1").status_code == 404


def test_commands_and_interactions_are_verified_too(slack, workspace):
    assert slack.command("/moment", user_id="U1", text="x", secret="wrong").status_code == 401
    assert (
        slack.interaction(
            {"type": "block_actions", "user": {"id": "U1"}, "actions": []}, secret="wrong"
        ).status_code
        == 401
    )


def test_remembered_requests_are_forgotten_after_a_day(slack, workspace):
    slack.event(HOME, event_id="Ev8")
    assert ProcessedRequest.objects.count() == 2  # the signature and the event id
    with time_machine.travel(now() + dt.timedelta(days=1, minutes=1)):
        assert prune_processed() == 2
