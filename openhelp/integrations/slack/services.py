"""Slack workflows: installing and uninstalling the app, linking people, and posting direct messages.

Linking is by verified e-mail with a confirmation step: Slack tells us the Slack user's e-mail
(``users.info``), we look for a *verified* address here (allauth's ``EmailAddress``), and the person
must confirm on the web while signed in as that account. Nobody is linked on an e-mail match alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from slack_sdk.errors import SlackApiError

from openhelp.integrations.slack import client
from openhelp.integrations.slack.models import LinkRequest, SlackAccount, SlackMessage, Workspace
from openhelp.platform.accounts.models import User
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

LINK_VALID = dt.timedelta(days=1)
# "Find me" asks Slack once per confirmed address, as the workspace's bot: a loop of them would spend the
# workspace's Slack rate limit (``client.RateLimited``), which its offers and reminders need.
FIND_ME_PER_HOUR = 10
SLACK_DID_NOT_ANSWER = "Slack did not answer; try again in a minute."
BOT_SCOPES = ("commands", "chat:write", "im:write", "users:read", "users:read.email")
STATUS_USER_SCOPES = ("users.profile:write",)
MAX_CAP = 100_000


class MessageCapReached(Exception):
    """The workspace's daily message cap is used up: the message is dropped, not retried."""


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def default_daily_cap() -> int:
    """The cap a newly installed workspace starts with (settings.SLACK_DAILY_MESSAGE_CAP)."""
    return int(settings.SLACK_DAILY_MESSAGE_CAP)


def is_configured() -> bool:
    return bool(settings.SLACK_CLIENT_ID and settings.SLACK_CLIENT_SECRET and settings.SLACK_SIGNING_SECRET)


def callback_url() -> str:
    return absolute(reverse("slack:oauth-callback"))


# --- Installing ----------------------------------------------------------------------------------------


@transaction.atomic
def complete_install(*, code: str, installer: User) -> Workspace:
    """Exchange the OAuth code for the bot token (``oauth.v2.access``) and save the workspace."""
    response = client.web_client().oauth_v2_access(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=settings.SLACK_CLIENT_SECRET,
        code=code,
        redirect_uri=callback_url(),
    )
    team = response.get("team") or {}
    if not response.get("access_token") or not team.get("id"):
        raise ValidationError("Slack did not return a bot token; try installing again.")
    workspace, _ = Workspace.objects.update_or_create(
        team_id=team["id"],
        defaults={
            "name": team.get("name", ""),
            "bot_user_id": response.get("bot_user_id", ""),
            "bot_token": response["access_token"],
            "installed_by": installer,
            "installed_at": now(),
            "uninstalled_at": None,
            "rate_limited_until": None,
        },
        create_defaults={
            "name": team.get("name", ""),
            "bot_user_id": response.get("bot_user_id", ""),
            "bot_token": response["access_token"],
            "installed_by": installer,
            "daily_message_cap": default_daily_cap(),
        },
    )
    return workspace


@transaction.atomic
def complete_status_grant(*, code: str, user: User) -> SlackAccount:
    """A linked person allowed the app to set their Slack status: keep their user token (encrypted)."""
    response = client.web_client().oauth_v2_access(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=settings.SLACK_CLIENT_SECRET,
        code=code,
        redirect_uri=callback_url(),
    )
    authed = response.get("authed_user") or {}
    team_id = (response.get("team") or {}).get("id", "")
    account = SlackAccount.objects.filter(
        user=user, workspace__team_id=team_id, slack_user_id=authed.get("id", "")
    ).first()
    if account is None or not authed.get("access_token"):
        raise ValidationError("Link this Slack account first, then allow the status.")
    account.user_token = authed["access_token"]
    account.status_opt_in = True
    account.save(update_fields=["user_token", "status_opt_in"])
    return account


@transaction.atomic
def uninstall(*, team_id: str) -> int:
    """``app_uninstalled`` / ``tokens_revoked`` (bot): forget the tokens and every link; returns links removed."""
    workspace = Workspace.objects.select_for_update().filter(team_id=team_id).first()
    if workspace is None:
        return 0
    workspace.bot_token = ""
    workspace.uninstalled_at = now()
    workspace.save(update_fields=["bot_token", "uninstalled_at"])
    LinkRequest.objects.filter(workspace=workspace).delete()
    removed, _ = SlackAccount.objects.filter(workspace=workspace).delete()
    return removed


@transaction.atomic
def revoke_user_tokens(*, team_id: str, slack_user_ids: list[str]) -> int:
    """``tokens_revoked`` for user tokens: those people's status tokens are gone, so is the opt-in."""
    return SlackAccount.objects.filter(workspace__team_id=team_id, slack_user_id__in=slack_user_ids).update(
        user_token="", status_opt_in=False
    )


@transaction.atomic
def update_workspace(*, workspace: Workspace, enabled: bool, daily_message_cap: int) -> Workspace:
    """The organiser's kill switch and cap."""
    if not 0 <= daily_message_cap <= MAX_CAP:
        raise ValidationError({"daily_message_cap": [f"Choose a cap between 0 and {MAX_CAP}."]})
    workspace.enabled = enabled
    workspace.daily_message_cap = daily_message_cap
    workspace.save(update_fields=["enabled", "daily_message_cap"])
    return workspace


# --- Linking people -------------------------------------------------------------------------------------


def account_for(workspace: Workspace, slack_user_id: str) -> SlackAccount | None:
    return (
        SlackAccount.objects.select_related("user", "workspace")
        .filter(workspace=workspace, slack_user_id=slack_user_id, user__is_active=True)
        .first()
    )


def start_link(*, workspace: Workspace, slack_user_id: str) -> LinkRequest | None:
    """Match the Slack user to a person here by verified e-mail; None when nobody matches."""
    info = client.call(workspace, "users.info", user=slack_user_id)
    profile = (info.get("user") or {}).get("profile") or {}
    email = (profile.get("email") or "").strip()
    if not email or (info.get("user") or {}).get("is_email_confirmed") is False:
        return None
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if address is None:
        return None
    return LinkRequest.objects.create(
        workspace=workspace,
        slack_user_id=slack_user_id,
        user=address.user,
        email=email,
        expires_at=now() + LINK_VALID,
    )


def find_me(*, workspace: Workspace, user: User) -> LinkRequest | None:
    """From the web or the API: look for the person's verified addresses in Slack
    (``users.lookupByEmail``); the request found still goes through the same confirmation. None when
    nobody there uses one (``no_match_message``). ``RateLimited`` (a ValidationError) after
    FIND_ME_PER_HOUR tries an hour; Slack's own errors (``SlackApiError``, ``client.RateLimited``,
    ``client.WorkspaceInactive``) pass through."""
    key = f"slack:find-me:{user.pk}"
    if ratelimit.remaining(key, limit=FIND_ME_PER_HOUR) <= 0:
        raise ratelimit.RateLimited(
            f"You looked for yourself in Slack {FIND_ME_PER_HOUR} times this hour. Try again later, or type "
            f"{settings.SLACK_ASK_COMMAND} in Slack."
        )
    ratelimit.count(key, window_seconds=3600)
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    for email in emails:
        try:
            found = client.call(workspace, "users.lookupByEmail", email=email)
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                continue
            raise
        slack_user_id = (found.get("user") or {}).get("id", "")
        if slack_user_id:
            return LinkRequest.objects.create(
                workspace=workspace,
                slack_user_id=slack_user_id,
                user=user,
                email=email,
                expires_at=now() + LINK_VALID,
            )
    return None


def no_match_message(workspace: Workspace) -> str:
    return (
        f"Nobody in {workspace} uses one of your confirmed e-mail addresses. Type "
        f"{settings.SLACK_ASK_COMMAND} in Slack instead, or confirm that address here first."
    )


def link_url(link_request: LinkRequest) -> str:
    return absolute(reverse("slack:confirm-link", args=[link_request.token]))


def pending_link(*, token: str, user: User) -> LinkRequest | None:
    """The open request behind ``token`` for this person; None for anyone else (the view answers 404)."""
    found = LinkRequest.objects.select_related("workspace").filter(token=token, user=user).first()
    return found if found is not None and found.is_open() else None


@transaction.atomic
def confirm_link(*, link_request: LinkRequest, user: User) -> SlackAccount:
    if link_request.user_id != user.pk or not link_request.is_open():
        raise ValidationError("This link has expired; type /help in Slack to get a new one.")
    SlackAccount.objects.filter(
        workspace=link_request.workspace, slack_user_id=link_request.slack_user_id
    ).exclude(user=user).delete()
    SlackAccount.objects.filter(workspace=link_request.workspace, user=user).exclude(
        slack_user_id=link_request.slack_user_id
    ).delete()
    account, _ = SlackAccount.objects.get_or_create(
        workspace=link_request.workspace, slack_user_id=link_request.slack_user_id, defaults={"user": user}
    )
    link_request.confirmed_at = now()
    link_request.save(update_fields=["confirmed_at"])
    return account


@transaction.atomic
def unlink(*, account: SlackAccount, user: User) -> None:
    if account.user_id != user.pk:
        raise ValidationError("This Slack account is not linked to you.")
    account.delete()


@transaction.atomic
def set_preferences(*, account: SlackAccount, status_opt_in: bool, digest_opt_in: bool) -> SlackAccount:
    account.status_opt_in = status_opt_in and bool(account.user_token)
    account.digest_opt_in = digest_opt_in
    account.save(update_fields=["status_opt_in", "digest_opt_in"])
    return account


# --- Posting --------------------------------------------------------------------------------------------


def messages_today(workspace: Workspace) -> int:
    start = now().replace(hour=0, minute=0, second=0, microsecond=0)
    return SlackMessage.objects.filter(workspace=workspace, posted_at__gte=start).count()


def dm_channel(account: SlackAccount) -> str:
    if not account.dm_channel:
        opened = client.call(account.workspace, "conversations.open", users=account.slack_user_id)
        account.dm_channel = (opened.get("channel") or {}).get("id", "")
        SlackAccount.objects.filter(pk=account.pk).update(dm_channel=account.dm_channel)
    return account.dm_channel


def post_dm(
    account: SlackAccount, *, text: str, blocks: list[dict[str, Any]], kind: str, **refs: Any
) -> SlackMessage:
    """Post one direct message (within the workspace's daily cap) and keep its ts."""
    workspace = account.workspace
    if messages_today(workspace) >= workspace.daily_message_cap:
        raise MessageCapReached(str(workspace))
    channel = dm_channel(account)
    posted = client.call(workspace, "chat.postMessage", channel=channel, text=text, blocks=blocks)
    return SlackMessage.objects.create(
        workspace=workspace,
        channel=posted.get("channel", channel),
        ts=posted["ts"],
        kind=kind,
        user=account.user,
        **refs,
    )


def ephemeral(workspace: Workspace, *, channel: str, slack_user_id: str, text: str) -> None:
    """A reply only they see, in the channel where they typed (errors and confirmations)."""
    client.call(workspace, "chat.postEphemeral", channel=channel, user=slack_user_id, text=text)
