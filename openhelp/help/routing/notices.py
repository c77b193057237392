"""What routing tells people, in plain words: one function per event, one notification per event and person.

Every call passes a dedupe key naming the very thing it is about (an offer, a round, an ask's expiry), so a
task that runs twice, a retry or a late duplicate never tells anyone twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from openhelp.help.asks.models import Ask
from openhelp.help.asks.validation import title_from_objective
from openhelp.help.routing.models import Offer
from openhelp.platform.notifications.emails import absolute_url
from openhelp.platform.notifications.services import Message, notify, notify_each

ALTERNATIVES = (
    "What you can do: add a broader or related skill, widen the languages, relax the 'needed by' date, "
    "or ask one person you know directly."
)


def alternatives() -> str:
    """The honest next steps, with the office-hours finder when that feature is installed."""
    try:
        office_hours = absolute_url(reverse("officehours:week"))
    except NoReverseMatch:
        return ALTERNATIVES
    return f"{ALTERNATIVES} Or book a short drop-in at an expert's office hours: {office_hours}"


def ask_url(ask: Ask) -> str:
    try:
        return reverse("asks:detail", args=[ask.pk])
    except NoReverseMatch:  # the asks pages are optional for routing; the inbox still works without them
        return ""


def offer_url(offer: Offer) -> str:
    return reverse("routing:offer", args=[offer.pk])


def askers(ask: Ask) -> list:
    """The mentee and the co-askers: everyone who waits for this ask."""
    return [ask.mentee, *ask.co_askers.all()]


def _hours(delta) -> str:
    hours = round(delta.total_seconds() / 3600)
    return "1 hour" if hours == 1 else f"{hours} hours"


def _context(ask: Ask, **extra) -> dict:
    return {"ask_id": ask.pk, "ask_title": ask.title, **extra}


def offers_received(offers: Iterable[Offer], *, ask: Ask) -> None:
    """'Can you help with …?' to each expert offered the ask, with why them (one bulk insert)."""
    about = {
        "mentee": ask.mentee.display_name,
        "skills": _and_list([skill.name for skill in ask.skills.all()]),
        # A title left empty was taken from the objective: saying both would say the same thing twice.
        "objective_is_title": ask.title == title_from_objective(ask.objective),
    }
    notify_each(
        event="ask.offer.received", messages=[_offer_message(offer, ask=ask, about=about) for offer in offers]
    )


def _and_list(names: list[str]) -> str:
    """ "Django", "Django and Celery", "Django, Celery and Redis"."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _offer_message(offer: Offer, *, ask: Ask, about: dict) -> Message:
    reasons = "; ".join(offer.reasons[:3])
    return Message(
        recipient=offer.mentor,
        title=f"Can you help with “{ask.title}”?",
        body=(
            ("" if about["objective_is_title"] else f"By the end they want to: {ask.objective}\n")
            + f"Why you: {reasons or 'your skills fit this ask.'}"
        ),
        url=offer_url(offer),
        context=_context(
            ask,
            **about,
            offer_id=offer.pk,
            objective=ask.objective,
            reasons=list(offer.reasons),
            expires_at=offer.expires_at.isoformat(),
            window=_hours(offer.expires_at - offer.created_at),
            questions=list(ask.preparation_questions or []),
            urgency=ask.get_urgency_display(),
            format=ask.get_format_display(),
        ),
        dedupe_key=f"offer:{offer.pk}",
    )


def offer_expiring(offer: Offer, *, ask: Ask) -> None:
    notify(
        event="ask.offer.expiring",
        recipients=[offer.mentor],
        title=f"“{ask.title}” moves on soon",
        body="If you can help, accept it now; if not, a one-click decline passes it on straight away.",
        url=offer_url(offer),
        context=_context(ask, expires_at=offer.expires_at.isoformat()),
        dedupe_key=f"offer:{offer.pk}",
    )


def offers_taken(offers: Iterable[Offer], *, ask: Ask) -> None:
    for offer in offers:
        notify(
            event="ask.offer.taken",
            recipients=[offer.mentor],
            title=f"“{ask.title}” was taken by someone else",
            body="Another expert accepted it first, so there is nothing left for you to do. "
            "Thank you for being ready to help.",
            url=offer_url(offer),
            context=_context(ask),
            dedupe_key=f"offer:{offer.pk}",
        )


def offers_withdrawn(offers: Iterable[Offer], *, ask: Ask, why: str) -> None:
    for offer in offers:
        notify(
            event="ask.offer.withdrawn",
            recipients=[offer.mentor],
            title=f"“{ask.title}” is no longer needed",
            body=f"{why} Nothing left for you to do.",
            url=offer_url(offer),
            context=_context(ask),
            dedupe_key=f"offer:{offer.pk}",
        )


def ask_accepted(ask: Ask, *, helper) -> None:
    notify(
        event="ask.accepted",
        recipients=askers(ask),
        title=f"{helper.display_name} will help with “{ask.title}”",
        body="Agree a time, or start the conversation in the thread.",
        url=ask_url(ask),
        context=_context(ask, helper=helper.display_name),
        dedupe_key=f"ask:{ask.pk}:accepted:{helper.pk}",
    )


def ask_rerouted(ask: Ask, *, offered: int) -> None:
    experts = "1 more expert" if offered == 1 else f"{offered} more experts"
    notify(
        event="ask.rerouted",
        recipients=askers(ask),
        title=f"“{ask.title}” went to {experts}",
        body="The experts asked so far could not take it, so we passed it on. You will hear as soon as "
        "someone accepts.",
        url=ask_url(ask),
        context=_context(ask, round=ask.routing_round),
        dedupe_key=f"ask:{ask.pk}:round:{ask.routing_round}",
    )


def directed_declined(ask: Ask, *, offer: Offer, why: str) -> None:
    notify(
        event="ask.declined",
        recipients=askers(ask),
        title=f"{offer.mentor.display_name} cannot take “{ask.title}”",
        body=f"{why} You can let us route it to other experts in one click, or ask someone else.",
        url=ask_url(ask),
        context=_context(ask),
        dedupe_key=f"offer:{offer.pk}",
    )


def ask_unmatched(ask: Ask) -> None:
    notify(
        event="ask.unmatched",
        recipients=askers(ask),
        title=f"No expert is free for “{ask.title}” right now",
        body="We looked at everyone who offers these skills and nobody can take it at the moment. "
        + alternatives(),
        url=ask_url(ask),
        context=_context(ask, alternatives=alternatives()),
        dedupe_key=f"ask:{ask.pk}:unmatched:{ask.routing_round}",
    )


def ask_expired(ask: Ask) -> None:
    notify(
        event="ask.expired",
        recipients=askers(ask),
        title=f"“{ask.title}” expired",
        body=f"Its 'needed by' date ({ask.needed_by:%d %b %Y}) passed before an expert accepted it. "
        "We are sorry it did not work out this time. " + alternatives(),
        url=ask_url(ask),
        context=_context(ask, alternatives=alternatives()),
        dedupe_key=f"ask:{ask.pk}:expired",
    )


def ask_escalated(ask: Ask, *, why: str) -> None:
    organisers = get_user_model().objects.filter(is_organiser=True, is_active=True)
    notify(
        event="ask.escalated",
        recipients=list(organisers),
        title=f"“{ask.title}” needs attention",
        body=f"{why} We widened the pool to related skills and lower levels.",
        url=ask_url(ask),
        context=_context(ask, why=why, urgency=ask.get_urgency_display()),
        dedupe_key=f"ask:{ask.pk}:escalated",
    )
