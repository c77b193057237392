"""One sync step of the bot: read what happened on the homeserver since last time and answer it.

``sync_once`` long-polls ``/sync`` once (a short timeout), joins the rooms the bot is invited to, answers
commands and reactions, and stores ``next_batch`` so a restart resumes there. Each Matrix event is claimed
in ``HandledEvent`` before it is acted on: a repeated or concurrent sync never posts an ask twice (at most
once is right for chat commands; a lost reply is better than a duplicate ask).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.db import IntegrityError, transaction

from openhelp.integrations.matrix import commands, services
from openhelp.integrations.matrix.client import TOKEN_UNREADABLE, MatrixError
from openhelp.integrations.matrix.models import HandledEvent, MatrixBot
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import UNREADABLE_HINT

logger = logging.getLogger(__name__)
ACTIONABLE = frozenset({"m.room.message", "m.reaction"})


@dataclass
class SyncResult:
    joined: int = 0
    handled: int = 0
    replied: int = 0


def describe_error(error: Exception) -> str:
    """Why a sync failed, in the words the organiser's page and the log show."""
    if isinstance(error, MatrixError):
        if error.errcode == TOKEN_UNREADABLE:
            return (
                f"The bot's stored access token {UNREADABLE_HINT}: enter it on /integrations/matrix/bot/ "
                "(or list the old key in FIELD_ENCRYPTION_KEYS again)."
            )
        if error.status == 401:
            return (
                f"The homeserver refused the bot's access token ({error.errcode or 'HTTP 401'}): sign the bot "
                "in again and enter the new token on /integrations/matrix/bot/."
            )
        return f"The homeserver answered {error}."
    if isinstance(error, requests.RequestException):
        return safe_http.describe(error)
    return str(error) or error.__class__.__name__


def sync_once(*, timeout_ms: int = 0) -> SyncResult | None:
    """Run one sync step; None when no bot is configured or it is switched off."""
    bot = services.current_bot()
    if bot is None:
        return None
    try:
        client = services.client_for(bot)
        data = client.sync(since=bot.since, timeout_ms=timeout_ms)
    except (MatrixError, OSError) as error:
        MatrixBot.objects.filter(pk=bot.pk).update(last_error=describe_error(error)[:500])
        raise
    result = SyncResult()
    rooms = data.get("rooms", {})
    for room_id in rooms.get("invite", {}):
        try:
            client.join(room_id)
            result.joined += 1
        except MatrixError as error:  # the invite was withdrawn meanwhile: nothing to join
            logger.warning("Matrix: could not join %s: %s", room_id, error)
    for room_id, room in rooms.get("join", {}).items():
        for event in room.get("timeline", {}).get("events", []):
            if event.get("type") == "m.room.member" and _left(event):
                services.forget_room_of(matrix_id=str(event.get("state_key", "")), room_id=room_id)
                continue
            if event.get("type") not in ACTIONABLE or event.get("sender") == bot.user_id:
                continue
            if not _claim(event.get("event_id", "")):
                continue
            result.handled += 1
            reply = _reply_to(event, room_id)
            if reply:
                try:
                    client.send_text(room_id, reply)
                except (
                    MatrixError,
                    OSError,
                ) as error:  # the action is done; a lost reply must not stop the sync
                    logger.warning("Matrix: could not reply in %s: %s", room_id, error)
                    continue
                result.replied += 1
    MatrixBot.objects.filter(pk=bot.pk).update(
        since=data.get("next_batch", bot.since), last_synced_at=now(), last_error=""
    )
    return result


def _left(event: dict[str, Any]) -> bool:
    return (event.get("content") or {}).get("membership") in {"leave", "ban"}


def _claim(event_id: str) -> bool:
    if not event_id:
        return False
    try:
        with transaction.atomic():
            HandledEvent.objects.create(event_id=event_id)
    except IntegrityError:
        return False
    return True


def _reply_to(event: dict[str, Any], room_id: str) -> str | None:
    sender = commands.Sender(matrix_id=event.get("sender", ""), room_id=room_id)
    content = event.get("content") or {}
    kind = event.get("type")
    try:
        if kind == "m.room.message" and content.get("msgtype") == "m.text" and "m.relates_to" not in content:
            return commands.answer(sender, str(content.get("body", "")))
        if kind == "m.reaction":
            relation = content.get("m.relates_to") or {}
            if relation.get("rel_type") == "m.annotation":
                return commands.react(
                    sender, event_id=str(relation.get("event_id", "")), key=str(relation.get("key", ""))
                )
    except Exception:  # a bug answering one message must not stop the bot for everyone else
        logger.exception("Matrix: failed to answer event %s", event.get("event_id"))
        return "Sorry, something went wrong on our side. Please try again later, or use the web."
    return None
