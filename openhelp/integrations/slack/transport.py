"""The Slack chat transport for notifications: linked people get their notifications as direct messages.

``notifications`` decides who gets a chat message and calls ``send(notification)`` from its retrying
task; an exception here makes it retry. Offers are stored with their ts so ``consumer.py`` can update
them in place when the offer closes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from openhelp.help.routing.models import Offer, OfferState
from openhelp.integrations.slack import blocks, client, services
from openhelp.integrations.slack.models import SlackAccount, SlackMessage
from openhelp.platform.notifications.models import Notification

logger = logging.getLogger(__name__)

OFFER_EVENT = "ask.offer.received"


def active_accounts():
    return (
        SlackAccount.objects.select_related("workspace", "user")
        .filter(workspace__enabled=True, workspace__uninstalled_at__isnull=True, user__is_active=True)
        .exclude(workspace__bot_token="")
    )


def outcome_for(offer: Offer, *, mentor_id: int) -> str:
    """One line saying why an offer's buttons are gone."""
    if offer.state == OfferState.ACCEPTED:
        return "You accepted this ask — thank you! Plan the session from the ask's page."
    if offer.state == OfferState.DECLINED:
        return f"You declined this ask ({offer.get_decline_reason_display().lower()})."
    if offer.state == OfferState.EXPIRED:
        return "This offer expired."
    if offer.ask.helper_id and offer.ask.helper_id != mentor_id:
        return "Someone else took this ask. Thank you for being ready to help!"
    return "This ask is closed; nothing to do."


def offer_blocks(offer: Offer, *, url: str) -> list[dict]:
    ask = offer.ask
    if offer.state != OfferState.PENDING:
        return blocks.offer_closed(
            title=ask.title, url=url, outcome=outcome_for(offer, mentor_id=offer.mentor_id)
        )
    window = offer.expires_at - offer.created_at
    hours = round(window.total_seconds() / 3600)
    return blocks.offer_message(
        offer_id=offer.pk,
        title=ask.title,
        objective=ask.objective,
        reasons=list(offer.reasons),
        urgency=ask.urgency_phrase,
        format_label=ask.get_format_display(),
        window="1 hour" if hours == 1 else f"{hours} hours",
        url=url,
    )


def offer_of(notification: Notification) -> Offer | None:
    offer_id = (notification.context or {}).get("offer_id")
    if offer_id is None and notification.dedupe_key.startswith("offer:"):
        offer_id = notification.dedupe_key.split(":", 1)[1]
    if offer_id is None:
        return None
    return Offer.objects.select_related("ask").filter(pk=offer_id, mentor=notification.recipient_id).first()


class SlackTransport:
    name = "slack"

    def linked_user_ids(self, user_ids: Collection[int]) -> set[int]:
        return set(active_accounts().filter(user_id__in=list(user_ids)).values_list("user_id", flat=True))

    def send(self, notification: Notification) -> None:
        for account in active_accounts().filter(user_id=notification.recipient_id):
            if SlackMessage.objects.filter(
                workspace=account.workspace, notification_id=notification.pk
            ).exists():
                continue  # already delivered there (a retry after a partial failure)
            try:
                self._send_one(account, notification)
            except services.MessageCapReached:
                logger.warning(
                    "Slack daily cap reached in %s; notification %s not sent",
                    account.workspace,
                    notification.pk,
                )
            except client.TokenUnreadable as unreadable:
                # Retrying cannot help until the app is installed again: one line, no retry.
                logger.warning("Slack notification %s not sent: %s", notification.pk, unreadable)

    def _send_one(self, account: SlackAccount, notification: Notification) -> None:
        url = services.absolute(notification.url) if notification.url else ""
        offer = offer_of(notification) if notification.event == OFFER_EVENT else None
        if offer is not None:
            services.post_dm(
                account,
                text=notification.title,
                blocks=offer_blocks(offer, url=url),
                kind=SlackMessage.Kind.OFFER,
                offer_id=offer.pk,
                ask_id=offer.ask_id,
                notification_id=notification.pk,
                final=offer.state != OfferState.PENDING,
            )
            return
        services.post_dm(
            account,
            text=notification.title,
            blocks=blocks.notice(
                title=notification.title,
                body=notification.body,
                url=url,
                event=notification.event,
                session_id=(notification.context or {}).get("session_id"),
            ),
            kind=SlackMessage.Kind.NOTICE,
            notification_id=notification.pk,
        )


transport = SlackTransport()
