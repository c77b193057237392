"""Shared by the Today page's tests and its API's: an offer waiting for the owner, and search data that grows."""

from __future__ import annotations

import pytest

from openhelp.directory.people.models import Profile
from openhelp.help.routing import services
from openhelp.help.routing.models import Offer
from tests.factories import SkillFactory
from tests.factories_library import make_entries
from tests.factories_people import make_people
from tests.factories_routing import OfferFactory, make_mentor, open_ask, profile_of


@pytest.fixture
def django_skill(db):
    return SkillFactory(name="Django", slug="django")


@pytest.fixture
def offer_to_owner(owner, outsider, django_skill):
    """An ask by the outsider, routed to the owner (open to help on Django) and one more mentor."""
    profile_of(owner).skills_offered.create(skill=django_skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True, sessions_per_week=3)
    make_mentor(django_skill, name="Other mentor")
    ask = open_ask(
        skills=[django_skill], mentee=outsider, title="Read my migration plan", objective="ship the migration"
    )
    services.route_ask(ask=ask)
    return Offer.objects.get(ask=ask, mentor=owner)


@pytest.fixture
def grow_search_data(owner):
    """``grow(skill, n)``: n people and library entries on ``skill``, and up to six offers of asks about it to
    the owner: the search's query counts must not move with n."""

    def grow(skill, n: int) -> None:
        make_people(n, skills=[skill])
        make_entries(n, skills=[skill], text="observability")
        for _ in range(min(n, 6)):
            OfferFactory(mentor=owner, ask__title="Observability ask", ask__skills=[skill])

    return grow
