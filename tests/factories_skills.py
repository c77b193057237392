"""Factories for the skills tests beyond the shared ones in tests/factories.py."""

from __future__ import annotations

from openhelp.directory.skills.models import Skill
from tests.factories import SkillFactory


class ProposedSkillFactory(SkillFactory):
    """A skill waiting for approval; pass ``proposed_by=`` the person who proposed it."""

    status = Skill.Status.PROPOSED
