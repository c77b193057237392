"""“Find me” over the REST API: the settings page's look-up of my confirmed addresses in a workspace, the
link request it makes (read and confirmed over the API), its limit shared with the page, and Slack's
refusals as 503 with Retry-After."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.integrations.slack import services
from openhelp.integrations.slack.models import LinkRequest, SlackAccount
from openhelp.platform.lib.clock import now
from tests.factories import make_access_token
from tests.factories_accounts import verify

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _find_me(workspace_or_pk) -> str:
    pk = getattr(workspace_or_pk, "pk", workspace_or_pk)
    return f"/api/v1/slack/workspaces/{pk}/find-me/"


def test_it_finds_me_by_a_confirmed_address_and_i_confirm_the_link(owner, outsider, workspace, fake):
    verify(owner)
    fake.add_user("UFOUND", owner.email)
    api = _client(owner)
    response = api.post(_find_me(workspace))
    assert response.status_code == 201, response.content
    body = response.json()
    link_request = LinkRequest.objects.get()
    assert body["token"] == link_request.token and body["slack_user_id"] == "UFOUND"
    assert body["email"] == owner.email and body["workspace"]["team_id"] == "T0FAKE"
    assert [call.params["email"] for call in fake.calls_to("users.lookupByEmail")] == [owner.email]
    assert not SlackAccount.objects.exists(), "nobody is linked before confirming"
    assert api.get(response["Location"]).json() == body
    assert _client(outsider).get(response["Location"]).status_code == 404
    assert _client(outsider).post(f"/api/v1/slack/links/{body['token']}/confirm/").status_code == 404
    assert api.post(f"/api/v1/slack/links/{body['token']}/confirm/").status_code == 201
    assert SlackAccount.objects.get().user == owner
    assert api.get(response["Location"]).status_code == 404, "a confirmed request is no longer open"


def test_an_unconfirmed_address_is_not_looked_up(owner, workspace, fake):
    fake.add_user("UFOUND", owner.email)
    response = _client(owner).post(_find_me(workspace))
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "no_match", "message": services.no_match_message(workspace)}
    assert fake.calls_to("users.lookupByEmail") == [] and not LinkRequest.objects.exists()


def test_nobody_in_the_workspace_with_my_address_is_a_409(owner, workspace, fake):
    verify(owner)
    response = _client(owner).post(_find_me(workspace))
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_match"
    assert (
        "Nobody in Fake Team uses one of your confirmed e-mail addresses"
        in response.json()["error"]["message"]
    )
    assert len(fake.calls_to("users.lookupByEmail")) == 1


def test_slack_asking_to_wait_is_a_503_with_its_retry_after(owner, workspace, fake):
    verify(owner)
    fake.rate_limit("users.lookupByEmail", retry_after=30)
    api = _client(owner)
    with time_machine.travel(now(), tick=False):
        response = api.post(_find_me(workspace))
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert response.json()["error"]["code"] == "slack_unavailable"
        again = api.post(_find_me(workspace))  # the workspace remembers: no second call to Slack
    assert again.status_code == 503 and again["Retry-After"] == "30"
    assert len(fake.calls_to("users.lookupByEmail")) == 1


def test_a_switched_off_workspace_is_a_503(owner, workspace, fake):
    verify(owner)
    workspace.enabled = False
    workspace.save()
    response = _client(owner).post(_find_me(workspace))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert fake.calls_to("users.lookupByEmail") == []


def test_an_uninstalled_or_unknown_workspace_is_a_404(owner, workspace, fake):
    api = _client(owner)
    assert api.post(_find_me(workspace.pk + 1)).status_code == 404
    workspace.uninstalled_at = now()
    workspace.save()
    response = api.post(_find_me(workspace))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_anonymous_gets_401(workspace):
    response = Client().post(_find_me(workspace))
    assert response.status_code == 401 and "WWW-Authenticate" in response


def test_ten_tries_an_hour_counted_with_the_page(owner, workspace, fake):
    verify(owner)
    api = _client(owner)
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False) as traveller:
        owner_client = Client()
        owner_client.force_login(owner)  # at the travelled time, so the session has not expired
        for _ in range(services.FIND_ME_PER_HOUR - 1):
            assert api.post(_find_me(workspace)).status_code == 409
        owner_client.post(reverse("slack:find-me", args=[workspace.pk]))  # the tenth, on the page
        refused = api.post(_find_me(workspace))
        assert refused.status_code == 429 and "10 times this hour" in refused.json()["error"]["message"]
        page = owner_client.post(reverse("slack:find-me", args=[workspace.pk]), follow=True)
        assert "10 times this hour" in page.content.decode()
        assert len(fake.calls_to("users.lookupByEmail")) == services.FIND_ME_PER_HOUR
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        assert api.post(_find_me(workspace)).status_code == 409
