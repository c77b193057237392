"""A stored secret that no configured key opens (SECRET_KEY or FIELD_ENCRYPTION_KEYS changed without keeping
the old key) never turns a page or an API answer into a 500: each says, in plain words, that it must be
entered again; what would have used it stops with one log line instead of failing again and again."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from openhelp.directory.calendars import sync as calendar_sync
from openhelp.directory.calendars.models import CalendarConnection, ConnectionStatus
from openhelp.integrations.matrix import sync as matrix_sync
from openhelp.integrations.matrix.models import MatrixBot
from openhelp.integrations.slack import client as slack_client
from openhelp.integrations.slack import status as slack_status
from openhelp.integrations.slack.models import SlackAccount, Workspace
from openhelp.integrations.webhooks.models import Delivery, DeliveryStatus
from openhelp.platform.lib import secrets
from tests.factories_calendars import connect_directly
from tests.factories_matrix import MatrixBotFactory
from tests.factories_sso import oidc_provider
from tests.factories_webhooks import deliver_to_webhooks, make_endpoint, record_event
from tests.harness.tasks import run_pending_tasks

AGAIN = "can no longer be read"
OLD_KEY = "the-key-they-were-saved-with"


def _use_keys(settings, keys: str) -> None:
    settings.FIELD_ENCRYPTION_KEYS = keys
    secrets._box.cache_clear()


@pytest.fixture
def stored(settings, db, owner, site_admin):
    """One of every stored secret, saved under a key the server then loses."""
    _use_keys(settings, OLD_KEY)
    workspace = Workspace.objects.create(
        team_id="T1", name="Acme", bot_user_id="UBOT", bot_token="xoxb-1-secret", installed_by=site_admin
    )
    account = SlackAccount.objects.create(
        workspace=workspace, slack_user_id="U1", user=owner, user_token="xoxp-1-secret", status_opt_in=True
    )
    MatrixBotFactory()
    endpoint = make_endpoint(url="https://hooks.example.org/in", actor=site_admin, kinds=("kudos.given",))
    provider = oidc_provider(discovery_url="https://idp.example.org/.well-known/openid-configuration")
    connection = connect_directly(
        owner,
        server_url="https://cal.example.org/",
        username="o",
        password="app-pass",
        calendar_url="https://cal.example.org/o/work/",
    )
    _use_keys(settings, "a-new-key-without-the-old-one")
    yield {
        "workspace": workspace,
        "account": account,
        "endpoint": endpoint.endpoint,
        "provider": provider,
        "connection": connection,
    }
    secrets._box.cache_clear()


def test_every_page_and_endpoint_that_shows_a_secret_says_it_must_be_entered_again(
    stored, owner_client, site_admin_client
):
    endpoint, provider, workspace = stored["endpoint"], stored["provider"], stored["workspace"]
    saying_it = [
        (owner_client, reverse("slack:settings")),
        (owner_client, reverse("calendars:settings")),
        (owner_client, "/api/v1/calendars/connection/"),
        (site_admin_client, reverse("slack:workspaces")),
        (site_admin_client, "/api/v1/slack/workspaces/"),
        (site_admin_client, reverse("matrix:bot")),
        (site_admin_client, "/api/v1/matrix/bot/"),
        (site_admin_client, reverse("webhooks:detail", args=[endpoint.pk])),
        (site_admin_client, f"/api/v1/webhooks/endpoints/{endpoint.pk}/"),
        (site_admin_client, reverse("sso:provider-detail", args=[provider.pk])),
        (site_admin_client, f"/api/v1/sso/providers/{provider.pk}/"),
    ]
    answering = [
        (owner_client, reverse("matrix:settings")),
        (owner_client, "/api/v1/slack/accounts/"),
        (owner_client, "/api/v1/matrix/link/"),
        (site_admin_client, reverse("webhooks:list")),
        (site_admin_client, reverse("webhooks:edit", args=[endpoint.pk])),
        (site_admin_client, "/api/v1/webhooks/endpoints/"),
        (site_admin_client, reverse("sso:provider-list")),
        (site_admin_client, "/api/v1/sso/providers/"),
    ]
    for client, url in saying_it + answering:
        response = client.get(url)
        assert response.status_code == 200, url
        if (client, url) in saying_it:
            assert AGAIN in response.content.decode(), url
    assert workspace.pk


def test_saving_a_row_keeps_the_stored_secret_so_the_old_key_still_opens_it(stored, settings):
    endpoint = stored["endpoint"]
    endpoint.refresh_from_db()
    endpoint.description = "Renamed while the key was missing"
    endpoint.save()
    _use_keys(settings, f"a-new-key-without-the-old-one,{OLD_KEY}")
    endpoint.refresh_from_db()
    assert endpoint.secret.startswith("whsec_")


def test_a_webhook_is_not_sent_unsigned_and_says_why_once(stored, caplog, committed):
    record_event("kudos.given")
    with caplog.at_level(logging.WARNING, logger="openhelp.integrations.webhooks.sending"):
        with committed():
            deliver_to_webhooks()
        run_pending_tasks()
        run_pending_tasks()
    delivery = Delivery.objects.get(endpoint=stored["endpoint"])
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert AGAIN in delivery.last_error
    assert len([r for r in caplog.records if AGAIN in r.getMessage()]) == 1


def test_the_matrix_sync_records_why_and_does_not_call_the_homeserver(stored):
    with pytest.raises(matrix_sync.MatrixError) as failure:
        matrix_sync.sync_once(timeout_ms=0)
    assert AGAIN in matrix_sync.describe_error(failure.value)
    assert AGAIN in MatrixBot.objects.get(pk=1).last_error


def test_the_matrix_bot_form_asks_for_the_token_again(stored, site_admin_client):
    response = site_admin_client.post(
        reverse("matrix:bot"),
        {
            "homeserver_url": "http://127.0.0.1:9",
            "user_id": "@bot:localhost",
            "access_token": "",
            "enabled": "on",
        },
    )
    assert response.status_code == 200
    assert AGAIN in response.content.decode()


def test_a_calendar_sync_marks_the_connection_failing_with_the_reason(stored):
    assert calendar_sync.sync_connection(stored["connection"].pk) == "failed"
    connection = CalendarConnection.objects.get(pk=stored["connection"].pk)
    assert connection.status == ConnectionStatus.FAILING and AGAIN in connection.last_error


def test_slack_says_nothing_with_an_unreadable_bot_token(stored):
    workspace = Workspace.objects.get(pk=stored["workspace"].pk)
    assert workspace.is_installed and not workspace.is_active
    with pytest.raises(slack_client.TokenUnreadable, match=AGAIN):
        slack_client.call(workspace, "auth.test")


def test_a_slack_notification_is_dropped_with_one_line_not_retried(stored, owner, caplog):
    from openhelp.integrations.slack.transport import SlackTransport
    from tests.factories import NotificationFactory

    notification = NotificationFactory(recipient=owner)
    with caplog.at_level(logging.WARNING, logger="openhelp.integrations.slack.transport"):
        SlackTransport().send(notification)  # raising would make the notification task retry
    assert len([r for r in caplog.records if AGAIN in r.getMessage()]) == 1


def test_a_matrix_notification_is_dropped_with_one_line_not_retried(stored, owner, caplog):
    from openhelp.integrations.matrix.transport import MatrixTransport
    from tests.factories import NotificationFactory
    from tests.factories_matrix import MatrixLinkFactory

    MatrixLinkFactory(user=owner)
    notification = NotificationFactory(recipient=owner)
    with caplog.at_level(logging.WARNING, logger="openhelp.integrations.matrix.transport"):
        MatrixTransport().send(notification)  # raising would make the notification task retry
    assert len([r for r in caplog.records if AGAIN in r.getMessage()]) == 1


def test_an_unreadable_status_token_switches_the_status_off_once(stored, caplog):
    account = SlackAccount.objects.select_related("workspace", "user").get(pk=stored["account"].pk)
    account.status_shown = "Open to help"
    with caplog.at_level(logging.WARNING, logger="openhelp.integrations.slack.status"):
        assert slack_status.sync(account) is False
    assert not SlackAccount.objects.get(pk=account.pk).status_opt_in
    assert len([r for r in caplog.records if AGAIN in r.getMessage()]) == 1


def test_company_login_says_the_provider_needs_its_secret_again(stored, anonymous_client):
    response = anonymous_client.post(reverse("sso:company-login"), {"email": "alice@acme.test"})
    assert response.status_code == 200
    assert "must enter it again" in response.content.decode()
