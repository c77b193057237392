"""Factories for moments and introductions, plus bulk builders for the query-count guard."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from openhelp.community.moments.models import Introduction, IntroductionMessage, Moment, MomentKind
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory


class MomentFactory(DjangoModelFactory):
    class Meta:
        model = Moment

    author = factory.SubFactory(UserFactory)
    kind = MomentKind.ENCOURAGEMENT
    note = "Told a colleague their talk draft is strong"
    is_public = False


class IntroductionFactory(DjangoModelFactory):
    class Meta:
        model = Introduction

    introducer = factory.SubFactory(UserFactory)
    first = factory.SubFactory(UserFactory)
    second = factory.SubFactory(UserFactory)
    note = "You both work on search ranking; you should compare notes."


class IntroductionMessageFactory(DjangoModelFactory):
    class Meta:
        model = IntroductionMessage

    introduction = factory.SubFactory(IntroductionFactory)
    author = factory.LazyAttribute(lambda o: o.introduction.first)
    body = "Hello! Happy to meet."


def make_moments(n: int, *, author, person=None, public: bool = False, at=None) -> list[Moment]:
    moment = at or now()
    return Moment.objects.bulk_create(
        [
            Moment(
                author=author,
                kind=MomentKind.FEEDBACK,
                note=f"Moment {i}",
                person=person,
                is_public=public,
                occurred_at=moment - dt.timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )
