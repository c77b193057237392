"""The web side: installing through OAuth v2 (tokens kept encrypted, shown as the last four), the
organisers' kill switch and cap, and a person's link confirmation, preferences and unlink."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.urls import reverse

from openhelp.directory.people.models import Profile
from openhelp.integrations.slack.models import LinkRequest, SlackAccount, Workspace
from openhelp.platform.lib.clock import now
from tests.factories_accounts import verify
from tests.factories_slack import link

pytestmark = pytest.mark.django_db


def _state_of(response) -> str:
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    return query["state"][0]


def test_an_organiser_installs_the_app_and_the_token_is_stored_encrypted(
    organiser_client, organiser, fake, settings
):
    settings.SLACK_DAILY_MESSAGE_CAP = 42
    response = organiser_client.get(reverse("slack:install"))
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://slack.com/oauth/v2/authorize"
    assert query["client_id"] == ["1234.5678"]
    assert "chat:write" in query["scope"][0] and "commands" in query["scope"][0]
    assert query["redirect_uri"] == ["https://help.example.org/integrations/slack/oauth/callback/"]
    response = organiser_client.get(
        reverse("slack:oauth-callback"), {"code": "c0de", "state": _state_of(response)}
    )
    assert response["Location"] == reverse("slack:workspaces")
    workspace = Workspace.objects.get()
    assert (workspace.team_id, workspace.name, workspace.installed_by) == ("T0FAKE", "Fake Team", organiser)
    assert workspace.daily_message_cap == 42
    [exchange] = fake.calls_to("oauth.v2.access")
    assert exchange.params["code"] == "c0de"
    with connection.cursor() as cursor:
        cursor.execute("SELECT bot_token FROM slack_workspace")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("enc1:") and workspace.bot_token not in stored
    page = organiser_client.get(reverse("slack:workspaces")).content.decode()
    assert f"•••• {workspace.bot_token[-4:]}" in page and workspace.bot_token not in page


def test_a_wrong_client_secret_is_named_for_the_administrator(organiser_client, fake, settings):
    """Slack answers bad_client_secret: the organiser is told which two settings to compare, not just that
    Slack refused."""
    settings.SLACK_CLIENT_SECRET = fake.WRONG_CLIENT_SECRET
    state = _state_of(organiser_client.get(reverse("slack:install")))
    response = organiser_client.get(
        reverse("slack:oauth-callback"), {"code": "c0de", "state": state}, follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Slack refused the app's credentials (bad_client_secret): the administrator should compare "
        "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET with the app's Basic Information page, then restart the app."
    )
    assert not Workspace.objects.exists()


def test_a_callback_with_a_wrong_state_is_refused(organiser_client, fake):
    organiser_client.get(reverse("slack:install"))
    response = organiser_client.get(reverse("slack:oauth-callback"), {"code": "c", "state": "install:forged"})
    assert response.status_code == 404
    assert not Workspace.objects.exists() and fake.calls_to("oauth.v2.access") == []


def test_only_organisers_install_and_manage(owner_client, workspace):
    assert owner_client.get(reverse("slack:install")).status_code == 404
    assert owner_client.get(reverse("slack:workspaces")).status_code == 404
    url = reverse("slack:workspace-update", args=[workspace.pk])
    assert owner_client.post(url, {f"w{workspace.pk}-daily_message_cap": 1}).status_code == 404


def test_the_kill_switch_and_cap_are_saved(organiser_client, workspace):
    prefix = f"w{workspace.pk}-"
    url = reverse("slack:workspace-update", args=[workspace.pk])
    response = organiser_client.post(url, {prefix + "daily_message_cap": "-1"})
    assert response.status_code == 400 and "greater than or equal to 0" in response.content.decode()
    organiser_client.post(url, {prefix + "daily_message_cap": "20"})
    workspace.refresh_from_db()
    assert (workspace.enabled, workspace.daily_message_cap) == (False, 20)


def _link_request(user, workspace, **fields) -> LinkRequest:
    fields.setdefault("expires_at", now() + dt.timedelta(hours=1))
    return LinkRequest.objects.create(
        workspace=workspace, slack_user_id="UNEW", user=user, email=user.email, **fields
    )


def test_the_person_confirms_the_link_on_the_web(owner_client, owner, workspace):
    link_request = _link_request(owner, workspace)
    url = reverse("slack:confirm-link", args=[link_request.token])
    page = owner_client.get(url)
    assert "Yes, link it" in page.content.decode()
    assert "confirm it is you" in owner_client.get(reverse("slack:settings")).content.decode()
    owner_client.post(url)
    account = SlackAccount.objects.get()
    assert (account.user, account.slack_user_id, account.workspace) == (owner, "UNEW", workspace)
    assert owner_client.get(url).status_code == 404  # used


def test_someone_elses_or_an_expired_link_is_404(outsider_client, owner_client, owner, workspace):
    assert (
        outsider_client.get(
            reverse("slack:confirm-link", args=[_link_request(owner, workspace).token])
        ).status_code
        == 404
    )
    expired = _link_request(owner, workspace, expires_at=now())
    assert owner_client.post(reverse("slack:confirm-link", args=[expired.token])).status_code == 404
    assert not SlackAccount.objects.exists()


def test_unlink_in_one_click_and_not_someone_elses(owner_client, outsider_client, owner, workspace, fake):
    account = link(owner, workspace, fake)
    url = reverse("slack:unlink", args=[account.pk])
    assert outsider_client.post(url).status_code == 404
    owner_client.post(url)
    assert not SlackAccount.objects.exists()
    assert "No Slack account is linked yet" in owner_client.get(reverse("slack:settings")).content.decode()


def test_digest_opt_in_and_status_needs_slacks_permission_first(owner_client, owner, workspace, fake):
    Profile.objects.filter(user=owner).update(open_to_help=True)
    account = link(owner, workspace, fake)
    url = reverse("slack:preferences", args=[account.pk])
    prefix = f"a{account.pk}-"
    owner_client.post(url, {prefix + "digest_opt_in": "on"})
    account.refresh_from_db()
    assert account.digest_opt_in and not account.status_opt_in
    response = owner_client.post(url, {prefix + "status_opt_in": "on", prefix + "digest_opt_in": "on"})
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["user_scope"] == ["users.profile:write"] and query["team"] == ["T0FAKE"]
    # Slack sends them back with a code; the fake's code names the Slack user it authorised.
    owner_client.get(
        reverse("slack:oauth-callback"), {"code": f"c:{account.slack_user_id}", "state": query["state"][0]}
    )
    account.refresh_from_db()
    assert account.status_opt_in and account.user_token.startswith("xoxp-")
    [status] = fake.calls_to("users.profile.set")
    assert status.token == account.user_token
    assert status.params["profile"] == {
        "status_text": "Open to help",
        "status_emoji": ":raised_hands:",
        "status_expiration": 0,
    }


def test_the_settings_page_says_what_to_do_with_nothing_installed(owner_client, fake):
    page = owner_client.get(reverse("slack:settings")).content.decode()
    assert "not installed in a Slack workspace yet" in page


def test_the_pages_need_a_login(client, fake):
    response = client.get(reverse("slack:settings"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_account_settings_link_to_slack(owner_client, fake):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("slack:settings") in page


def test_find_me_in_slack_by_a_confirmed_address_then_confirm(owner_client, owner, workspace, fake):
    fake.add_user("UFOUND", owner.email)
    page = owner_client.get(reverse("slack:settings")).content.decode()
    assert "Find me in Fake Team" in page
    response = owner_client.post(reverse("slack:find-me", args=[workspace.pk]))
    assert response.status_code == 302 and not LinkRequest.objects.exists()  # unconfirmed address: no lookup
    assert fake.calls_to("users.lookupByEmail") == []
    verify(owner)
    response = owner_client.post(reverse("slack:find-me", args=[workspace.pk]))
    link_request = LinkRequest.objects.get()
    assert response["Location"] == reverse("slack:confirm-link", args=[link_request.token])
    assert link_request.slack_user_id == "UFOUND" and not SlackAccount.objects.exists()
    owner_client.post(response["Location"])
    assert SlackAccount.objects.get().slack_user_id == "UFOUND"


def test_find_me_says_so_when_nobody_matches(owner_client, owner, workspace, fake):
    verify(owner)
    response = owner_client.post(reverse("slack:find-me", args=[workspace.pk]), follow=True)
    assert "Nobody in Fake Team uses one of your confirmed e-mail addresses" in response.content.decode()
    assert len(fake.calls_to("users.lookupByEmail")) == 1
