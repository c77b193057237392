"""The work behind Slack's requests, run by background tasks after the request was acknowledged.

Each handler takes the plain payload Slack sent (no model instances), calls the product's own services
(routing, asks, recognition, moments) and answers in Slack: an ephemeral reply, a DM, the App Home.
A service's ``ValidationError`` becomes a reply in words, never a crash.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse

from openhelp.community.moments import services as moments
from openhelp.community.moments.models import MomentKind
from openhelp.community.recognition import services as recognition
from openhelp.help.asks import services as asks
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.help.routing import services as routing
from openhelp.help.routing.models import Offer, OfferState
from openhelp.integrations.slack import blocks, client, services
from openhelp.integrations.slack.models import SlackAccount, SlackMessage, Workspace
from openhelp.integrations.slack.transport import offer_blocks
from openhelp.platform.lib.clock import now

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CLOSED_ASK_STATES = (AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def workspace_for(team_id: str) -> Workspace | None:
    return Workspace.objects.filter(team_id=team_id).first()


def reply(workspace: Workspace, payload: dict[str, Any], text: str) -> None:
    """Ephemeral where they typed; a DM when there is no channel (a modal, App Home)."""
    channel = payload.get("channel_id") or (payload.get("channel") or {}).get("id", "")
    slack_user_id = payload.get("user_id") or (payload.get("user") or {}).get("id", "")
    if channel:
        services.ephemeral(workspace, channel=channel, slack_user_id=slack_user_id, text=text)
        return
    account = services.account_for(workspace, slack_user_id)
    if account is not None:
        services.post_dm(account, text=text, blocks=[blocks.section(blocks.escape(text))], kind="notice")


def offer_link(workspace: Workspace, *, slack_user_id: str, channel: str = "") -> None:
    """An unlinked Slack user typed a command: start the confirmation step, or say why we cannot."""
    link_request = services.start_link(workspace=workspace, slack_user_id=slack_user_id)
    if link_request is None:
        text = (
            "We found no Open to Help account with your Slack e-mail address (verified). Sign up at "
            f"{services.absolute('/')} with that address, then try again."
        )
    else:
        text = f"Confirm it is you to link your account: {services.link_url(link_request)}"
    payload = {"channel_id": channel, "user_id": slack_user_id}
    if channel:
        reply(workspace, payload, text)
    else:
        opened = client.call(workspace, "conversations.open", users=slack_user_id)
        channel = (opened.get("channel") or {}).get("id", "")
        services.ephemeral(workspace, channel=channel, slack_user_id=slack_user_id, text=text)


# --- Slash commands ------------------------------------------------------------------------------


def kudos_command(workspace: Workspace, account: SlackAccount, form: dict[str, Any]) -> str:
    """``/kudos @person for …``"""
    text = form.get("text", "")
    found = MENTION.search(text)
    if found is None:
        return "Say who to thank: `/kudos @person for …`"
    receiver = services.account_for(workspace, found.group(1))
    if receiver is None:
        return "They have not linked Slack to Open to Help yet, so kudos cannot reach them from here."
    message = MENTION.sub("", text, count=1).strip()
    message = re.sub(r"^for\b", "", message).strip()
    try:
        recognition.give_kudos(giver=account.user, receiver=receiver.user, message=message)
    except ValidationError as error:
        return error_text(error)
    return f"Kudos sent to {receiver.user.display_name}. Thank you for saying it!"


def moment_command(account: SlackAccount, form: dict[str, Any]) -> str:
    """``/moment [kind:] what happened`` — logged in seconds, private like on the web."""
    text = (form.get("text") or "").strip()
    kind = MomentKind.INSIGHT
    first, _, rest = text.partition(" ")
    if first.rstrip(":").lower() in MomentKind.values and rest.strip():
        kind, text = MomentKind(first.rstrip(":").lower()), rest.strip()
    try:
        moments.log_moment(author=account.user, kind=kind, note=text)
    except ValidationError as error:
        return error_text(error)
    return f"Moment logged. {moments.challenge_for(user=account.user).text}"


# --- Buttons and modals ----------------------------------------------------------------------------


def accept(workspace: Workspace, account: SlackAccount, payload: dict[str, Any], offer_id: int) -> None:
    offer = Offer.objects.filter(pk=offer_id, mentor=account.user).first()
    if offer is None:
        return
    try:
        routing.accept_offer(offer=offer, mentor=account.user)
    except (routing.RoutingConflict, ValidationError) as error:
        reply(
            workspace,
            payload,
            str(error) if isinstance(error, routing.RoutingConflict) else error_text(error),
        )
    refresh_offer_messages(offer_ids=[offer.pk])


def decline(workspace: Workspace, account: SlackAccount, offer_id: int, reason: str, note: str) -> None:
    offer = Offer.objects.filter(pk=offer_id, mentor=account.user).first()
    if offer is None:
        return
    try:
        routing.decline_offer(offer=offer, mentor=account.user, reason=reason, note=note)
    except (routing.RoutingConflict, ValidationError):
        pass  # it closed meanwhile: the message update below says how
    refresh_offer_messages(offer_ids=[offer.pk])


def pause(account: SlackAccount, until: Any) -> None:
    routing.pause_mentor(mentor=account.user, until=until)


def publish_ask(account: SlackAccount, ask_id: int) -> str:
    ask = Ask.objects.filter(pk=ask_id, mentee=account.user).first()
    if ask is None or ask.state != AskState.DRAFT:
        return ""
    try:
        ask = asks.publish_ask(ask=ask, actor=account.user)
    except ValidationError as error:
        return error_text(error)
    url = services.absolute(reverse("asks:detail", args=[ask.pk]))
    return f"Your ask “{ask.title}” is out: we are offering it to the best experts. Follow it here: {url}"


def give_kudos(account: SlackAccount, receiver_id: int, message: str, session_id: int | None = None) -> str:
    receiver = SlackAccount.objects.select_related("user").filter(pk=receiver_id).first()
    if receiver is None:
        return "They unlinked Slack meanwhile; thank them on the web instead."
    session = Session.objects.involving(account.user).filter(pk=session_id).first() if session_id else None
    try:
        recognition.give_kudos(giver=account.user, receiver=receiver.user, message=message, session=session)
    except ValidationError as error:
        return error_text(error)
    return f"Kudos sent to {receiver.user.display_name}."


# --- Offers updated in place ----------------------------------------------------------------------------


def refresh_offer_messages(*, offer_ids: list[int] | None = None, ask_ids: list[int] | None = None) -> int:
    """Update every offer message whose offer closed (taken by someone else, expired, declined)."""
    wanted = SlackMessage.objects.filter(kind=SlackMessage.Kind.OFFER, final=False).select_related(
        "workspace"
    )
    if offer_ids is not None:
        wanted = wanted.filter(offer_id__in=offer_ids)
    if ask_ids is not None:
        wanted = wanted.filter(ask_id__in=ask_ids)
    updated = 0
    for message in wanted:
        if message.offer_id is None:
            continue
        offer = Offer.objects.select_related("ask").filter(pk=message.offer_id).first()
        if offer is not None and offer.state == OfferState.PENDING:
            continue
        if offer is not None and message.workspace.is_active:
            url = services.absolute(reverse("routing:offer", args=[offer.pk]))
            body = offer_blocks(offer, url=url)
            client.call(
                message.workspace,
                "chat.update",
                channel=message.channel,
                ts=message.ts,
                text=offer.ask.title,
                blocks=body,
            )
            updated += 1
        SlackMessage.objects.filter(pk=message.pk).update(final=True)
    return updated


# --- App Home ----------------------------------------------------------------------------------------------


def home_view(workspace: Workspace, slack_user_id: str) -> dict[str, Any]:
    account = services.account_for(workspace, slack_user_id)
    settings_url = services.absolute(reverse("slack:settings"))
    if account is None:
        return blocks.home(linked=False, link_url=settings_url, offers=[], asks=[], sessions=[], challenge="")
    user = account.user
    pending = Offer.objects.filter(
        mentor=user, state=OfferState.PENDING, expires_at__gt=now()
    ).select_related("ask")
    offers = [
        (o.pk, o.ask.title, services.absolute(reverse("routing:offer", args=[o.pk]))) for o in pending[:5]
    ]
    mine = Ask.objects.filter(mentee=user).exclude(state__in=CLOSED_ASK_STATES).order_by("-created_at")[:5]
    ask_rows = [
        (a.title, a.get_state_display(), services.absolute(reverse("asks:detail", args=[a.pk]))) for a in mine
    ]
    upcoming = (
        Session.objects.involving(user)
        .filter(state=SessionState.PLANNED, starts_at__gte=now())
        .order_by("starts_at")[:5]
    )
    zone = ZoneInfo(moments.timezone_of(user))
    session_rows = [
        (
            s.title,
            f"{s.starts_at.astimezone(zone):%a %d %b, %H:%M}" if s.starts_at else "at your pace",
            services.absolute(reverse("mentoring:detail", args=[s.pk])),
        )
        for s in upcoming
    ]
    challenge = moments.challenge_for(user=user).text
    return blocks.home(
        linked=True,
        link_url=settings_url,
        offers=offers,
        asks=ask_rows,
        sessions=session_rows,
        challenge=challenge,
    )


def publish_home(workspace: Workspace, slack_user_id: str) -> None:
    client.call(workspace, "views.publish", user_id=slack_user_id, view=home_view(workspace, slack_user_id))
