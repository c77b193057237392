"""Workflows of the Matrix bot: its configuration, linking a Matrix account to a person, and the DM room.

Linking proves both sides: the bot sends a one-time code to the Matrix user who asked (``!link``), and
only a signed-in person who opens that code on the web is linked — so nobody can claim someone else's
Matrix id, nor be linked to an account they cannot sign in to.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

import requests
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from openhelp.integrations.matrix.client import TOKEN_UNREADABLE, MatrixClient, MatrixError
from openhelp.integrations.matrix.models import LinkCode, MatrixBot, MatrixLink, OfferMessage
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable
from openhelp.platform.notifications.emails import absolute_url

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

CODE_LIFETIME = dt.timedelta(minutes=30)
MATRIX_ID_HELP = "A Matrix id looks like @name:example.org."


# --- The bot --------------------------------------------------------------------------------------------


def current_bot() -> MatrixBot | None:
    """The configured, enabled bot, or None (then nothing is sent to Matrix and nobody counts as linked)."""
    # The token is read (decrypted) only when a call needs it: whether a bot is on, and who is linked, must
    # not depend on FIELD_ENCRYPTION_KEYS opening it (a page for everyone would fail with it).
    return MatrixBot.objects.filter(pk=1, enabled=True).defer("access_token").first()


def client_for(bot: MatrixBot) -> MatrixClient:
    """A client signed in as the bot; a ``MatrixError`` (``TOKEN_UNREADABLE``) without asking the homeserver
    when the stored token no configured key opens (the sync and the sending say so, once per try)."""
    if is_unreadable(bot.access_token):
        raise MatrixError(0, TOKEN_UNREADABLE, "the stored access token can no longer be read")
    return MatrixClient(bot.homeserver_url, bot.access_token)


def is_matrix_id(value: str) -> bool:
    local, _, server = value.removeprefix("@").partition(":")
    return value.startswith("@") and bool(local) and bool(server) and " " not in value


def check_bot_account(*, homeserver_url: str, user_id: str, access_token: str) -> None:
    """Ask the homeserver whose token this is (``/account/whoami``); a ValidationError on the field at fault.

    So a mistyped address, an internal homeserver not in OUTBOUND_ALLOWED_HOSTS, a wrong or revoked token
    or another account's token is said on the form, not found later as a failing sync."""
    try:
        owner = MatrixClient(homeserver_url, access_token).whoami()
    except MatrixError as error:
        if error.status == 401:
            raise ValidationError(
                {
                    "access_token": [
                        f"The homeserver refused this access token ({error.errcode or 'HTTP 401'}). Sign the "
                        "bot in again and paste the new access_token."
                    ]
                }
            ) from None
        raise ValidationError(
            {
                "homeserver_url": [
                    f"This address did not answer as a Matrix homeserver ({error.status} {error.errcode}). "
                    "Give the client-server API base, e.g. https://matrix.example.org."
                ]
            }
        ) from None
    except (requests.RequestException, KeyError, TypeError) as error:
        reason = safe_http.describe(error) if isinstance(error, requests.RequestException) else ""
        raise ValidationError(
            {"homeserver_url": [reason or "This address did not answer as a Matrix homeserver."]}
        ) from None
    if owner != user_id:
        raise ValidationError({"user_id": [f"This access token belongs to {owner}, not to {user_id}."]})


def save_bot(*, homeserver_url: str, user_id: str, access_token: str = "", enabled: bool = True) -> MatrixBot:
    """Create or change the bot's account. An empty token keeps the stored one; a new account restarts sync;
    another homeserver unlinks everyone (``forget_every_link``).

    A bot that is on is checked with its homeserver first (``check_bot_account``)."""
    user_id = user_id.strip()
    homeserver_url = homeserver_url.rstrip("/")
    if not is_matrix_id(user_id):
        raise ValidationError({"user_id": [MATRIX_ID_HELP]})
    token = access_token.strip()
    if not token and not MatrixBot.objects.filter(pk=1).exists():
        raise ValidationError({"access_token": ["Enter the bot's access token."]})
    if enabled:
        if not token:
            token = MatrixBot.objects.values_list("access_token", flat=True).get(pk=1)
            if is_unreadable(token):
                raise ValidationError({"access_token": [f"The stored token {UNREADABLE_HINT}."]})
        check_bot_account(homeserver_url=homeserver_url, user_id=user_id, access_token=token)
    return _store_bot(
        homeserver_url=homeserver_url, user_id=user_id, access_token=access_token, enabled=enabled
    )


@transaction.atomic
def _store_bot(*, homeserver_url: str, user_id: str, access_token: str, enabled: bool) -> MatrixBot:
    bot = MatrixBot.objects.select_for_update().filter(pk=1).first()
    if bot is None and not access_token:
        raise ValidationError({"access_token": ["Enter the bot's access token."]})
    homeserver_url = homeserver_url.rstrip("/")
    if bot is not None and bot.homeserver_url and bot.homeserver_url != homeserver_url:
        forget_every_link()
    bot = bot or MatrixBot(pk=1)
    if bot.user_id != user_id or bot.homeserver_url != homeserver_url:
        bot.since = ""  # another account or server: its old sync position means nothing there
    bot.homeserver_url = homeserver_url
    bot.user_id = user_id
    if access_token:
        bot.access_token = access_token.strip()
    bot.enabled = enabled
    bot.save()
    return bot


def forget_every_link() -> None:
    """Another homeserver: every link and pending code goes. The bot believes its homeserver about who sent
    each message, and a link lets a Matrix id act for its person (accept offers, write asks) and receive
    their notifications; another server can say any id sent anything. So an organiser who pointed the bot at
    a server of their own could act as everyone linked (found in the security review). People link again."""
    MatrixLink.objects.all().delete()
    LinkCode.objects.filter(used_at__isnull=True).update(used_at=now())
    OfferMessage.objects.all().delete()


# --- Linking -------------------------------------------------------------------------------------------


def start_link(*, matrix_id: str, room_id: str, email: str = "") -> LinkCode:
    """A fresh one-time code for this Matrix user (earlier unused codes stop working)."""
    with transaction.atomic():
        LinkCode.objects.filter(matrix_id=matrix_id, used_at__isnull=True).update(used_at=now())
        return LinkCode.objects.create(
            code=secrets.token_urlsafe(16), matrix_id=matrix_id, room_id=room_id, email=email.strip().lower()
        )


def link_url(code: LinkCode) -> str:
    return absolute_url(reverse("matrix:confirm-link", args=[code.code]))


def pending_code(code: str) -> LinkCode | None:
    """The code if it can still be confirmed (unused and young enough)."""
    return LinkCode.objects.filter(
        code=code, used_at__isnull=True, created_at__gte=now() - CODE_LIFETIME
    ).first()


def confirm_link(*, code: str, user: User) -> MatrixLink:
    """Link the Matrix id the code was sent to with ``user`` (replacing either side's earlier link)."""
    with transaction.atomic():
        pending = pending_code(code)
        found = LinkCode.objects.select_for_update().filter(pk=pending.pk).first() if pending else None
        if found is None or found.used_at is not None:
            raise ValidationError(
                {"code": ["This link code is unknown, used or expired: send !link to the bot again."]}
            )
        if found.email and found.email != user.email.lower():
            raise ValidationError(
                {"code": [f"This code was asked for {found.email}; sign in with that account to confirm it."]}
            )
        found.used_at = now()
        found.save(update_fields=["used_at"])
        MatrixLink.objects.filter(matrix_id=found.matrix_id).exclude(user=user).delete()
        try:
            link, _ = MatrixLink.objects.update_or_create(
                user=user,
                defaults={"matrix_id": found.matrix_id, "room_id": found.room_id, "linked_at": now()},
            )
        except IntegrityError as error:  # the same Matrix id linked by a concurrent confirmation
            raise ValidationError(
                {"code": ["This Matrix account was just linked elsewhere; try again."]}
            ) from error
    return link


def unlink(*, user: User) -> bool:
    """Forget the person's Matrix account; True when there was one."""
    deleted, _ = MatrixLink.objects.filter(user=user).delete()
    return bool(deleted)


def unlink_matrix_id(*, matrix_id: str) -> bool:
    deleted, _ = MatrixLink.objects.filter(matrix_id=matrix_id).delete()
    return bool(deleted)


def linked_user(matrix_id: str) -> User | None:
    link = MatrixLink.objects.select_related("user").filter(matrix_id=matrix_id, user__is_active=True).first()
    return link.user if link is not None else None


def direct_room(link: MatrixLink, *, client: MatrixClient) -> str:
    """The person's DM room with the bot, created (and remembered) on first use."""
    if link.room_id:
        return link.room_id
    room_id = client.create_direct_room(link.matrix_id)
    MatrixLink.objects.filter(pk=link.pk, room_id="").update(room_id=room_id)
    link.refresh_from_db(fields=["room_id"])
    return link.room_id


def forget_room(link: MatrixLink) -> None:
    """The DM room no longer works (they left it): the next message opens a new one."""
    MatrixLink.objects.filter(pk=link.pk, room_id=link.room_id).update(room_id="")
    link.room_id = ""


def forget_room_of(*, matrix_id: str, room_id: str) -> None:
    """Someone left their DM with the bot (seen in sync): their next notification opens a new one."""
    MatrixLink.objects.filter(matrix_id=matrix_id, room_id=room_id).update(room_id="")


def offer_message(event_id: str) -> OfferMessage | None:
    return OfferMessage.objects.filter(event_id=event_id).first()
