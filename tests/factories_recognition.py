"""Factories for kudos and endorsements, plus bulk builders for the query-count guard."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from openhelp.community.recognition.models import Endorsement, Kudos
from tests.factories import SkillFactory, UserFactory
from tests.factories_mentoring import SessionFactory


class KudosFactory(DjangoModelFactory):
    class Meta:
        model = Kudos

    giver = factory.SubFactory(UserFactory)
    receiver = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    message = "Thank you for the clear walkthrough!"
    public = True


class EndorsementFactory(DjangoModelFactory):
    class Meta:
        model = Endorsement

    session = factory.SubFactory(SessionFactory)
    mentor = factory.LazyAttribute(lambda o: o.session.mentor)
    mentee = factory.LazyAttribute(lambda o: o.session.mentee)
    skill = factory.SubFactory(SkillFactory)


def make_kudos(n: int, *, giver, receiver, skill=None, public: bool = True) -> list[Kudos]:
    return Kudos.objects.bulk_create(
        [
            Kudos(giver=giver, receiver=receiver, skill=skill, message=f"Thanks {i}", public=public)
            for i in range(n)
        ]
    )
