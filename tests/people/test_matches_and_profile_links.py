"""Directory cards show the skill a search matched (with its level); a profile links to office hours."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OpenToHelpProfileFactory, ProfileFactory, SkillOfferFactory
from tests.factories_officehours import OfficeHoursFactory
from tests.factories_programmes import MembershipFactory, ProgrammeFactory
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ben(skills):
    ben = OpenToHelpProfileFactory(display_name="Ben Brown")
    SkillOfferFactory(profile=ben, skill=skills["python"], level=3)
    SkillOfferFactory(profile=ben, skill=skills["kubernetes"], level=2)
    SkillOfferFactory(profile=ben, skill=skills["postgres"], level=1)
    SkillOfferFactory(profile=ben, skill=skills["django"], level=5, note="Migrations without downtime")
    return ben


def _card(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</article>", start)]


def test_a_card_shows_the_skill_the_filter_matched_with_its_level(owner_client, ben):
    html = owner_client.get(reverse("people:directory"), {"skill": "Django"}).content.decode()

    card = _card(html, "Ben Brown")
    assert 'aria-label="Skills that match your search"' in card
    assert "Django <span>· level 5, recognised expert</span>" in card
    assert "Python <span>" not in card  # the parent skill did not match


def test_a_card_shows_skills_matched_by_the_text_search(owner_client, ben):
    by_alias = _card(
        owner_client.get(reverse("people:directory"), {"q": "k8s"}).content.decode(), "Ben Brown"
    )
    by_note = _card(
        owner_client.get(reverse("people:directory"), {"q": "downtime"}).content.decode(), "Ben Brown"
    )

    assert "Kubernetes <span>· level 2" in by_alias and "Django <span>" not in by_alias
    assert "Django <span>· level 5" in by_note


def test_without_a_search_a_card_shows_the_top_skills(owner_client, ben):
    card = _card(owner_client.get(reverse("people:directory")).content.decode(), "Ben Brown")

    assert "Skills that match your search" not in card
    assert 'aria-label="Top skills"' in card


def test_matched_skills_cost_no_query_per_person(owner_client, skills):
    def grow(n):
        for i in range(n):
            profile = OpenToHelpProfileFactory(display_name=f"Helper {i}")
            SkillOfferFactory(profile=profile, skill=skills["django"], level=4)

    assert_constant_queries(
        grow=grow,
        action=lambda: owner_client.get(reverse("people:directory"), {"skill": "Django"}),
        large=20,
    )


def test_a_profile_links_to_office_hours_when_there_are_some(owner_client, ben):
    OfficeHoursFactory(mentor=ben.user)

    html = owner_client.get(reverse("people:detail", args=[ben.pk])).content.decode()

    assert f'href="{reverse("officehours:mentor", args=[ben.user_id])}"' in html
    assert "Book office hours" in html


def test_a_profile_has_no_office_hours_link_without_any(owner_client, ben):
    OfficeHoursFactory(mentor=ben.user, is_active=False)

    html = owner_client.get(reverse("people:detail", args=[ben.pk])).content.decode()

    assert reverse("officehours:mentor", args=[ben.user_id]) not in html


def test_programme_office_hours_are_linked_for_members_only(owner, owner_client, outsider_client, ben):
    programme = ProgrammeFactory()
    MembershipFactory(programme=programme, user=owner)
    OfficeHoursFactory(mentor=ben.user, programme=programme)
    url = reverse("officehours:mentor", args=[ben.user_id])

    member_page = owner_client.get(reverse("people:detail", args=[ben.pk])).content.decode()
    outsider_page = outsider_client.get(reverse("people:detail", args=[ben.pk])).content.decode()

    assert url in member_page and url not in outsider_page


def test_a_profile_shows_the_manager_without_extra_queries(owner_client, ben):
    url = reverse("people:detail", args=[ben.pk])
    owner_client.get(url)
    with CaptureQueriesContext(connection) as without_manager:
        owner_client.get(url)
    manager = ProfileFactory(display_name="Mia Manager")
    ben.manager = manager.user
    ben.save()
    with CaptureQueriesContext(connection) as with_manager:
        html = owner_client.get(url).content.decode()
    assert "Mia Manager" in html
    assert len(with_manager) == len(without_manager)
