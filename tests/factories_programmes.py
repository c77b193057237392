"""Factories for programmes and their memberships."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from openhelp.directory.programmes.models import Membership, MembershipRole, Programme
from tests.factories import UserFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    description = "Help each other ship."
    code_of_conduct = "Be kind. Keep what you hear private."


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
