"""The opt-in weekly digest: one direct message a week with what waits for the person."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openhelp.community.moments import services as moments
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.integrations.slack import blocks, services
from openhelp.integrations.slack.models import SlackAccount, SlackMessage
from openhelp.platform.lib.clock import now

EVERY = dt.timedelta(days=7)
OPEN_ASK_STATES = (AskState.OPEN, AskState.OFFERED, AskState.ACCEPTED, AskState.SCHEDULED, AskState.UNMATCHED)


def lines(account: SlackAccount) -> list[str]:
    user, moment = account.user, now()
    offers = Offer.objects.filter(mentor=user, state=OfferState.PENDING, expires_at__gt=moment).count()
    asks = Ask.objects.filter(mentee=user, state__in=OPEN_ASK_STATES).count()
    sessions = (
        Session.objects.involving(user)
        .filter(state=SessionState.PLANNED, starts_at__gte=moment, starts_at__lt=moment + EVERY)
        .count()
    )
    return [
        f"• {offers} offer{'s' if offers != 1 else ''} waiting for your answer",
        f"• {asks} ask{'s' if asks != 1 else ''} of yours in progress",
        f"• {sessions} session{'s' if sessions != 1 else ''} in the next seven days",
        f"• {moments.challenge_for(user=user).text}",
    ]


def send(account: SlackAccount) -> SlackMessage | None:
    """Post the digest unless one went out in the last week (the periodic job may run twice)."""
    recent = SlackMessage.objects.filter(
        workspace=account.workspace,
        user=account.user,
        kind=SlackMessage.Kind.DIGEST,
        posted_at__gt=now() - EVERY + dt.timedelta(hours=1),
    )
    if recent.exists():
        return None
    today = services.absolute(reverse("today:home"))
    body = [
        blocks.section("*Your week on Open to Help*\n" + "\n".join(lines(account))),
        blocks.context(blocks.link(today, "Open Today")),
    ]
    return services.post_dm(
        account, text="Your week on Open to Help", blocks=body, kind=SlackMessage.Kind.DIGEST
    )
