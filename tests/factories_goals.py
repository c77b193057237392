"""Factories for learning goals."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from openhelp.community.goals.models import LearningGoal
from openhelp.platform.lib.clock import now
from tests.factories import SkillFactory, UserFactory


class LearningGoalFactory(DjangoModelFactory):
    class Meta:
        model = LearningGoal
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    target_date = factory.LazyFunction(lambda: (now() + dt.timedelta(days=21)).date())

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create:
            self.skills.set(extracted if extracted is not None else [SkillFactory()])
