"""The REST API for Slack: my accounts (preferences, unlink), confirming a link, organisers' workspaces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from openhelp.integrations.slack.models import LinkRequest, SlackAccount
from openhelp.platform.lib.clock import now
from tests.factories import make_access_token
from tests.factories_slack import link

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    _, raw_key = make_access_token(user)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def test_my_accounts_preferences_and_unlink(owner, outsider, workspace, fake):
    account = link(owner, workspace, fake, slack_user_id="UOWNER")
    api = _client(owner)
    [row] = api.get("/api/v1/slack/accounts/").json()["results"]
    assert row["slack_user_id"] == "UOWNER" and row["workspace"]["team_id"] == "T0FAKE"
    assert "user_token" not in row
    url = f"/api/v1/slack/accounts/{account.pk}/"
    assert _client(outsider).delete(url).status_code == 404
    response = api.put(url, {"status_opt_in": True, "digest_opt_in": True}, content_type="application/json")
    assert response.json()["digest_opt_in"] is True
    assert response.json()["status_opt_in"] is False  # Slack has not allowed it yet
    assert api.delete(url).status_code == 204
    assert not SlackAccount.objects.exists()


def test_confirming_a_link_through_the_api(owner, outsider, workspace):
    link_request = LinkRequest.objects.create(
        workspace=workspace,
        slack_user_id="UNEW",
        user=owner,
        email=owner.email,
        expires_at=now() + dt.timedelta(hours=1),
    )
    url = f"/api/v1/slack/links/{link_request.token}/confirm/"
    assert _client(outsider).post(url).status_code == 404
    response = _client(owner).post(url)
    assert response.status_code == 201 and response.json()["slack_user_id"] == "UNEW"
    account = f"http://testserver/api/v1/slack/accounts/{response.json()['id']}/"
    assert response["Location"] == account  # where it is changed or unlinked


def test_workspaces_are_for_organisers_and_never_show_the_token(owner, organiser, workspace):
    assert _client(owner).get("/api/v1/slack/workspaces/").status_code == 404
    api = _client(organiser)
    [row] = api.get("/api/v1/slack/workspaces/").json()["results"]
    assert row["bot_token_hint"] == f"•••• {workspace.bot_token[-4:]}"
    assert workspace.bot_token not in str(row)
    url = f"/api/v1/slack/workspaces/{workspace.pk}/"
    assert (
        _client(owner)
        .put(url, {"enabled": False, "daily_message_cap": 5}, content_type="application/json")
        .status_code
        == 404
    )
    response = api.put(url, {"enabled": False, "daily_message_cap": -1}, content_type="application/json")
    assert response.status_code == 400 and "daily_message_cap" in response.json()["error"]["fields"]
    response = api.put(url, {"enabled": False, "daily_message_cap": 5}, content_type="application/json")
    assert (response.json()["enabled"], response.json()["daily_message_cap"]) == (False, 5)
