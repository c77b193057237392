"""Builders for routing tests: mentors who offer skills, published asks, offers, and bulk offers."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from openhelp.directory.people.models import Profile, SkillOffer
from openhelp.help.asks.models import Ask, AskMode, AskState, Urgency
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from tests.factories import OpenToHelpProfileFactory, UserFactory
from tests.factories_asks import AskFactory

_counter = itertools.count()


def make_mentor(
    *skills,
    level: int = 3,
    name: str | None = None,
    languages=(),
    sessions_per_week: int | None = 3,
    **profile_fields,
) -> User:
    """An active user, open to help, offering each skill at ``level`` (or pass (skill, level) pairs)."""
    n = next(_counter)
    user = UserFactory(email=f"mentor{n}@example.org", with_profile=False)
    profile = OpenToHelpProfileFactory(
        user=user,
        display_name=name or f"Mentor {n}",
        sessions_per_week=sessions_per_week,
        **profile_fields,
    )
    for item in skills:
        skill, skill_level = item if isinstance(item, tuple) else (item, level)
        SkillOffer.objects.create(profile=profile, skill=skill, level=skill_level)
    if languages:
        profile.languages.set(languages)
    return user


def open_ask(*, skills, mentee=None, languages=(), urgency=Urgency.THIS_WEEK, **fields) -> Ask:
    """A published (open) routed ask, ready for route_ask."""
    fields.setdefault("published_at", now())
    ask = AskFactory(
        mentee=mentee or UserFactory(),
        skills=list(skills),
        urgency=urgency,
        state=fields.pop("state", AskState.OPEN),
        mode=fields.pop("mode", AskMode.ROUTED),
        **fields,
    )
    if languages:
        ask.languages.set(languages)
    return ask


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    ask = factory.SubFactory(AskFactory, state=AskState.OFFERED, published_at=factory.LazyFunction(now))
    mentor = factory.SubFactory(UserFactory)
    state = OfferState.PENDING
    reasons = factory.LazyFunction(lambda: ["Teaches it at level 4 (can teach it in depth)."])
    created_at = factory.LazyFunction(now)
    expires_at = factory.LazyFunction(lambda: now() + dt.timedelta(hours=24))


def make_offers(n: int, *, mentor, skills, state: str = OfferState.PENDING) -> list[Offer]:
    """``n`` offers to one mentor, each on its own offered ask, in a handful of queries."""
    batch = next(_counter)
    mentee = UserFactory(email=f"bulk-mentee{batch}@example.org")
    moment = now()
    asks = Ask.objects.bulk_create(
        [
            Ask(
                mentee=mentee,
                title=f"Bulk offered ask {batch}-{i}",
                objective="understand the thing",
                preparation_questions=["What did you try?"],
                state=AskState.OFFERED,
                published_at=moment,
            )
            for i in range(n)
        ]
    )
    Ask.skills.through.objects.bulk_create(
        [Ask.skills.through(ask_id=ask.pk, skill_id=skill.pk) for ask in asks for skill in skills]
    )
    return Offer.objects.bulk_create(
        [
            Offer(
                ask=ask,
                mentor=mentor,
                state=state,
                reasons=["Teaches it."],
                created_at=moment - dt.timedelta(minutes=i),
                expires_at=moment + dt.timedelta(hours=24),
                responded_at=None if state == OfferState.PENDING else moment,
            )
            for i, ask in enumerate(asks)
        ]
    )


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)


__all__ = ["OfferFactory", "make_mentor", "make_offers", "open_ask", "profile_of"]
