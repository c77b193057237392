"""The app manifest in the repository points Slack at the URLs and ids the app really serves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml
from django.conf import settings
from django.urls import resolve

from openhelp.integrations.slack import endpoints, services, views

MANIFEST = Path(settings.BASE_DIR) / "openhelp/integrations/slack/manifest.yml"


def _view(url: str):
    return resolve(urlparse(url).path).func


def test_the_manifest_urls_are_the_apps_endpoints():
    manifest = yaml.safe_load(MANIFEST.read_text())
    features, slack_settings = manifest["features"], manifest["settings"]
    assert {c["command"] for c in features["slash_commands"]} == {"/help", "/kudos", "/moment"}
    assert all(_view(c["url"]) is endpoints.commands for c in features["slash_commands"])
    assert _view(slack_settings["event_subscriptions"]["request_url"]) is endpoints.events
    assert _view(slack_settings["interactivity"]["request_url"]) is endpoints.interactions_view
    assert _view(slack_settings["interactivity"]["message_menu_options_url"]) is endpoints.interactions_view
    assert _view(manifest["oauth_config"]["redirect_urls"][0]) is views.oauth_callback
    assert set(slack_settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert slack_settings["socket_mode_enabled"] is False


def test_the_manifest_asks_for_the_scopes_the_app_requests():
    manifest = yaml.safe_load(MANIFEST.read_text())
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes["bot"]) == set(services.BOT_SCOPES)
    assert set(scopes["user"]) == set(services.STATUS_USER_SCOPES)
    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == ["thank_for_this"]
    assert settings.SLACK_ASK_COMMAND == "/help"
