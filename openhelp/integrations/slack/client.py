"""The Slack Web API through the official ``slack_sdk`` client, and what a 429 means for us.

``SLACK_API_URL`` is read at call time, so the tests point the client at their fake server. When Slack
answers 429 we do not sleep in a worker: the workspace remembers ``Retry-After`` (``rate_limited_until``),
every call before then fails fast with ``RateLimited``, and the task that hit it is re-enqueued to run
after that moment (``tasks.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from openhelp.integrations.slack.models import Workspace
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import UNREADABLE_HINT

# Methods Slack documents as form-encoded only (no JSON body); the others take JSON.
FORM_METHODS = frozenset({"users.info", "users.lookupByEmail", "conversations.open", "auth.test"})


class RateLimited(Exception):
    """Slack asked us to wait until ``until``."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"Slack rate limit: retry after {until.isoformat()}")
        self.until = until


class WorkspaceInactive(Exception):
    """The app was uninstalled or switched off in this workspace: say nothing."""


class TokenUnreadable(WorkspaceInactive):
    """The token stored for this call no configured key opens (``lib.secrets.UnreadableSecret``): say
    nothing, and say why in the log."""


def web_client(token: str = "") -> WebClient:
    return WebClient(token=token or None, base_url=settings.SLACK_API_URL, timeout=10)


def call(workspace: Workspace, method: str, *, token: str = "", **params: Any) -> dict[str, Any]:
    """Call one Web API method as the workspace's bot (or ``token``); JSON body, as Slack documents."""
    if workspace.token_unreadable and not token:
        raise TokenUnreadable(
            f"{workspace}: the stored bot token {UNREADABLE_HINT} (install the app in this workspace again)"
        )
    if not workspace.is_active:
        raise WorkspaceInactive(str(workspace))
    moment = now()
    if workspace.rate_limited_until and workspace.rate_limited_until > moment:
        raise RateLimited(workspace.rate_limited_until)
    client = web_client(token or workspace.bot_token)
    try:
        if method in FORM_METHODS:
            response = client.api_call(method, data=params)
        else:
            response = client.api_call(method, json=params)
    except SlackApiError as error:
        if error.response.status_code == 429:
            headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
            retry_after = headers.get("retry-after", "30")
            wait = int(retry_after[0] if isinstance(retry_after, list) else retry_after or 30)
            until = moment + dt.timedelta(seconds=wait)
            Workspace.objects.filter(pk=workspace.pk).update(rate_limited_until=until)
            workspace.rate_limited_until = until
            raise RateLimited(until) from error
        raise
    return dict(response.data) if isinstance(response.data, dict) else {}
