"""Notifications as Matrix DMs: the chat transport registered with the notification service.

``notify()`` decides who gets a chat message; the chat task calls ``send`` once per notification. An offer
is sent with how to answer it (a command or a reaction), and remembered as an ``OfferMessage`` so the
reaction finds its offer and the message can be edited once the offer closes (``offers.py``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings

from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.client import TOKEN_UNREADABLE, MatrixError
from openhelp.integrations.matrix.models import MatrixLink, OfferMessage
from openhelp.platform.lib.secrets import UNREADABLE_HINT

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from openhelp.platform.notifications.models import Notification

OFFER_EVENT = "ask.offer.received"


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def render(notification: Notification) -> tuple[str, str]:
    """Plain text and HTML for one notification: the title in bold, the body, the link, how to answer."""
    lines = [notification.title]
    if notification.body:
        lines.append(notification.body)
    offer_id = notification.context.get("offer_id") if notification.event == OFFER_EVENT else None
    if offer_id:
        lines.append(
            f"Reply !accept {offer_id} or !decline {offer_id} <reason> — or react ✅ / ❌ to this message."
        )
    url = absolute(notification.url)
    if url:
        lines.append(url)
    text = "\n".join(lines)
    parts = [f"<strong>{html.escape(notification.title)}</strong>"]
    parts += [html.escape(line).replace("\n", "<br>") for line in lines[1:] if line != url]
    if url:
        parts.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
    return text, "<br>".join(parts)


class MatrixTransport:
    name = "matrix"

    def linked_user_ids(self, user_ids: Collection[int]) -> set[int]:
        if services.current_bot() is None:
            return set()
        return set(
            MatrixLink.objects.filter(user_id__in=list(user_ids), user__is_active=True).values_list(
                "user_id", flat=True
            )
        )

    def send(self, notification: Notification) -> None:
        bot = services.current_bot()
        recipient = notification.recipient_id
        link = MatrixLink.objects.filter(user_id=recipient).first() if recipient is not None else None
        if bot is None or link is None:
            return  # unlinked (or the bot switched off) since notify(): nothing to deliver here
        try:
            client = services.client_for(bot)
        except MatrixError as error:
            if error.errcode != TOKEN_UNREADABLE:
                raise
            # Retrying cannot help until the token is entered again: one line, no retry.
            logger.warning(
                "Matrix notification %s not sent: %s",
                notification.pk,
                f"the bot's stored access token {UNREADABLE_HINT}",
            )
            return
        text, formatted = render(notification)
        room_id = services.direct_room(link, client=client)
        try:
            event_id = client.send_text(room_id, text, html=formatted)
        except MatrixError as error:
            if error.errcode != "M_FORBIDDEN":
                raise
            # They left the DM (or the bot was removed from it): open a new one and remember it instead.
            services.forget_room(link)
            room_id = services.direct_room(link, client=client)
            event_id = client.send_text(room_id, text, html=formatted)
        offer_id = notification.context.get("offer_id") if notification.event == OFFER_EVENT else None
        if offer_id:
            OfferMessage.objects.get_or_create(
                event_id=event_id, defaults={"offer_id": offer_id, "room_id": room_id}
            )
