"""The "open to help" badge in Slack: an opt-in status kept in step with capacity and pause.

Setting someone's status needs their own user token (``users.profile:write``), granted when they opt in
from the Slack settings page. We only write when the wanted status changed (``status_shown``), and we
clear only a status we set ourselves.
"""

from __future__ import annotations

import logging

from openhelp.directory.people.models import Profile
from openhelp.integrations.slack import client
from openhelp.integrations.slack.models import SlackAccount
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable

logger = logging.getLogger(__name__)

OPEN_TEXT = "Open to help"
OPEN_EMOJI = ":raised_hands:"


def wanted_status(account: SlackAccount) -> str:
    profile = Profile.objects.filter(user=account.user).first()
    return OPEN_TEXT if profile is not None and profile.is_available() else ""


def sync(account: SlackAccount) -> bool:
    """Set or clear the status; True when Slack was called."""
    wanted = wanted_status(account) if account.status_opt_in else ""
    if account.status_opt_in and is_unreadable(account.user_token):
        # Once, not every hour: the status is switched off until they allow it again (their page says so).
        SlackAccount.objects.filter(pk=account.pk).update(status_opt_in=False)
        account.status_opt_in = False
        logger.warning(
            "Slack status of %s switched off: the stored status token %s (they turn it on again).",
            account,
            UNREADABLE_HINT,
        )
        return False
    if wanted == account.status_shown or not account.user_token:
        return False
    client.call(
        account.workspace,
        "users.profile.set",
        token=account.user_token,
        profile={"status_text": wanted, "status_emoji": OPEN_EMOJI if wanted else "", "status_expiration": 0},
    )
    SlackAccount.objects.filter(pk=account.pk).update(status_shown=wanted)
    account.status_shown = wanted
    return True
