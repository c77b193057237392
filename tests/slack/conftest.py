"""Slack fixtures: one fake Slack Web API for the whole folder, the app's settings pointing at it, a
workspace, and helpers that sign requests as Slack does and drain the background work."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from openhelp.integrations.slack.verification import signature_for
from openhelp.platform.lib.clock import now
from tests.factories_slack import make_workspace
from tests.harness.outbox import deliver_events
from tests.harness.tasks import run_pending_tasks
from tests.slack import fake_slack

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture(scope="session")
def fake_server():
    fake, server = fake_slack.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake(fake_server, settings):
    fake_server.reset()
    settings.SLACK_API_URL = fake_server.url
    settings.SLACK_CLIENT_ID = "1234.5678"
    settings.SLACK_CLIENT_SECRET = "client-secret"
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SITE_URL = "https://help.example.org"
    yield fake_server
    assert fake_server.problems == [], "the app sent a request Slack documents as invalid"


@pytest.fixture
def workspace(db, fake):
    return make_workspace(fake)


class Slack:
    """Posts signed requests to the app's Slack endpoints, as Slack does."""

    def __init__(self, client, capture):
        self.client = client
        self.capture = capture

    def signed(
        self,
        url: str,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict | None = None,
    ):
        ts = str(timestamp if timestamp is not None else int(now().timestamp()))
        extra = {
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
            "HTTP_X_SLACK_SIGNATURE": signature_for(secret=secret, timestamp=ts, body=body),
        }
        extra.update(headers or {})
        with self.capture(execute=True):
            return self.client.generic("POST", url, body, content_type=content_type, **extra)

    def command(self, command: str, *, user_id: str, text: str = "", team_id: str = "T0FAKE", **kwargs):
        form = {
            "command": command,
            "text": text,
            "team_id": team_id,
            "user_id": user_id,
            "channel_id": "C0GENERAL",
            "trigger_id": f"trig.{command}.{user_id}.{text}.{now().timestamp()}",
            "response_url": "https://hooks.slack.com/commands/x",
        }
        body = urlencode(form).encode()
        return self.signed(reverse("slack:commands"), body, "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, payload: dict, **kwargs):
        payload.setdefault("team", {"id": "T0FAKE"})
        payload.setdefault("trigger_id", f"trig.{now().timestamp()}.{id(payload)}")
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.signed(reverse("slack:interactions"), body, "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict, *, event_id: str, team_id: str = "T0FAKE", **kwargs):
        body = json.dumps(
            {"type": "event_callback", "team_id": team_id, "event_id": event_id, "event": event}
        ).encode()
        return self.signed(reverse("slack:events"), body, "application/json", **kwargs)

    def drain(self) -> int:
        """Run queued tasks and deliver the outbox until nothing is left (the worker, in-process)."""
        total = 0
        for _ in range(20):
            with self.capture(execute=True):
                ran = run_pending_tasks()
                deliver_events()
            with self.capture(execute=True):
                ran += run_pending_tasks()
            total += ran
            if ran == 0:
                return total
        raise AssertionError("background work did not settle")


@pytest.fixture
def slack(client, fake, django_capture_on_commit_callbacks):
    return Slack(client, django_capture_on_commit_callbacks)
