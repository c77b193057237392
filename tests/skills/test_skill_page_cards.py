"""The skill page loads what its cards show: each card's top three skills (not every skill of every
person), the card's profile fields only, one page of offers, in a bounded number of queries."""

from __future__ import annotations

from django.urls import reverse

from openhelp.directory.people.models import CARD_TOP_SKILLS
from openhelp.directory.skills import skill_people
from openhelp.platform.lib.clock import now
from tests.factories import OpenToHelpProfileFactory, SkillFactory, SkillOfferFactory, SkillWantedFactory


def test_cards_load_only_the_top_skills_in_the_order_the_card_shows(taxonomy, owner_client):
    profile = OpenToHelpProfileFactory(display_name="Many Skills")
    SkillOfferFactory(profile=profile, skill=taxonomy.kubernetes, level=2)
    extra = [SkillFactory(name=f"Skill {c}") for c in "ABCDE"]
    for level, skill in zip([1, 5, 3, 5, 4], extra, strict=True):
        SkillOfferFactory(profile=profile, skill=skill, level=level)
    page = skill_people.offers_page(taxonomy.kubernetes, today=now().date())
    skill_people.load_top_skills(page)
    [offer] = page.rows
    top = offer.profile.top_offers
    assert [(o.skill.name, o.level) for o in top] == [("Skill B", 5), ("Skill D", 5), ("Skill E", 4)]
    assert len(top) == CARD_TOP_SKILLS
    html = owner_client.get(reverse("skills:detail", args=[taxonomy.kubernetes.slug])).content.decode()
    assert "Skill B" in html and "Skill A" not in html


def test_the_top_skills_of_offers_and_wishes_are_read_in_one_query(taxonomy, django_assert_num_queries):
    for _ in range(3):
        SkillOfferFactory(profile=SkillOfferFactory(skill=taxonomy.kubernetes).profile, skill=SkillFactory())
        SkillOfferFactory(profile=SkillWantedFactory(skill=taxonomy.kubernetes).profile, skill=SkillFactory())
    offers = skill_people.offers_page(taxonomy.kubernetes, today=now().date())
    wanted = skill_people.wanted_page(taxonomy.kubernetes)
    with django_assert_num_queries(1):
        skill_people.load_top_skills(offers, wanted)
    assert all(len(row.profile.top_offers) == 2 for row in offers.rows)
    assert all(len(row.profile.top_offers) == 1 for row in wanted.rows)


def test_card_profiles_are_loaded_without_unshown_columns(taxonomy):
    OpenToHelpProfileFactory(bio="A long bio " * 50)
    SkillOfferFactory(skill=taxonomy.kubernetes)
    SkillWantedFactory(skill=taxonomy.kubernetes)
    offer = skill_people.offers_page(taxonomy.kubernetes, today=now().date()).rows[0]
    wish = skill_people.wanted_page(taxonomy.kubernetes).rows[0]
    for profile in (offer.profile, wish.profile):
        assert "bio" in profile.get_deferred_fields()
        assert "display_name" not in profile.get_deferred_fields()


def test_the_skill_page_costs_a_bounded_number_of_queries(
    taxonomy, owner_client, django_assert_max_num_queries
):
    for _ in range(skill_people.OFFERS_SHOWN + 10):
        offer = SkillOfferFactory(skill=taxonomy.kubernetes)
        for name in ("x", "y", "z", "w"):
            SkillOfferFactory(profile=offer.profile, skill=SkillFactory(name=f"{name}{offer.pk}"))
        SkillWantedFactory(skill=taxonomy.kubernetes)
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    owner_client.get(url)
    with django_assert_max_num_queries(18):
        response = owner_client.get(url)
    assert len(response.context["offers"].rows) == skill_people.OFFERS_SHOWN
    assert len(response.context["wanted"].rows) == skill_people.WANTED_SHOWN
