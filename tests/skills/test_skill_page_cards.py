"""The skill page loads what its cards show: each card's top three skills (not every skill of every
person), the card's profile fields only, one page of offers, in a bounded number of queries."""

from __future__ import annotations

from django.urls import reverse

from openhelp.directory.people.models import CARD_TOP_SKILLS
from openhelp.directory.skills import services
from openhelp.directory.skills.views import PEOPLE_PER_PAGE
from tests.factories import OpenToHelpProfileFactory, SkillFactory, SkillOfferFactory, SkillWantedFactory


def test_cards_load_only_the_top_skills_in_the_order_the_card_shows(taxonomy, owner_client):
    profile = OpenToHelpProfileFactory(display_name="Many Skills")
    SkillOfferFactory(profile=profile, skill=taxonomy.kubernetes, level=2)
    extra = [SkillFactory(name=f"Skill {c}") for c in "ABCDE"]
    for level, skill in zip([1, 5, 3, 5, 4], extra, strict=True):
        SkillOfferFactory(profile=profile, skill=skill, level=level)
    offer = services.offers_for(taxonomy.kubernetes).get()
    top = offer.profile.top_offers
    assert [(o.skill.name, o.level) for o in top] == [("Skill B", 5), ("Skill D", 5), ("Skill E", 4)]
    assert len(top) == CARD_TOP_SKILLS
    html = owner_client.get(reverse("skills:detail", args=[taxonomy.kubernetes.slug])).content.decode()
    assert "Skill B" in html and "Skill A" not in html


def test_card_profiles_are_loaded_without_unshown_columns(taxonomy):
    OpenToHelpProfileFactory(bio="A long bio " * 50)
    SkillOfferFactory(skill=taxonomy.kubernetes)
    offer = services.offers_for(taxonomy.kubernetes).first()
    assert "bio" in offer.profile.get_deferred_fields()
    assert "display_name" not in offer.profile.get_deferred_fields()


def test_the_skill_page_costs_a_bounded_number_of_queries(
    taxonomy, owner_client, django_assert_max_num_queries
):
    for _ in range(PEOPLE_PER_PAGE + 10):
        offer = SkillOfferFactory(skill=taxonomy.kubernetes)
        for name in ("x", "y", "z", "w"):
            SkillOfferFactory(profile=offer.profile, skill=SkillFactory(name=f"{name}{offer.pk}"))
        SkillWantedFactory(skill=taxonomy.kubernetes)
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    owner_client.get(url)
    with django_assert_max_num_queries(20):
        response = owner_client.get(url)
    assert len(response.context["offers"].object_list) == PEOPLE_PER_PAGE
