"""The skill list and detail pages: grouping, counts, alias search, who helps first, no N+1."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from openhelp.directory.people.models import SKILL_LEVELS
from openhelp.directory.skills import skill_people
from openhelp.platform.lib.clock import now
from tests.factories import (
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillFactory,
    SkillOfferFactory,
    SkillWantedFactory,
)
from tests.harness.queries import assert_constant_queries


def test_it_lists_skills_by_category_with_counts(taxonomy, owner_client):
    SkillOfferFactory.create_batch(3, skill=taxonomy.kubernetes)
    SkillWantedFactory.create_batch(2, skill=taxonomy.kubernetes)
    html = owner_client.get(reverse("skills:list")).content.decode()
    assert html.index('<h2 id="category-1">Engineering</h2>') < html.index("Negotiation")
    row = re.search(r"Kubernetes</a>.*?</tr>", html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["3", "2"]


def test_it_searches_skills_by_alias(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:list"), {"q": "k8s"}).content.decode()
    assert "Kubernetes" in html
    assert "Negotiation" not in html


def test_it_filters_by_category(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:list"), {"category": "people"}).content.decode()
    assert "Negotiation" in html and "Kubernetes" not in html


def test_it_offers_to_propose_what_a_search_did_not_find(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:list"), {"q": "Terraform"}).content.decode()
    assert "No skill matches “Terraform”" in html
    assert f"{reverse('skills:propose')}?name=Terraform" in html


def test_it_shows_an_empty_state_without_skills(db, owner_client):
    assert "No skills yet" in owner_client.get(reverse("skills:list")).content.decode()


def test_it_lists_people_open_to_help_first_with_level_words(taxonomy, owner_client):
    today = now().date()
    paused = OpenToHelpProfileFactory(display_name="Paula Paused", paused_until=today + dt.timedelta(days=3))
    closed = ProfileFactory(display_name="Carl Closed", open_to_help=False)
    resumed = OpenToHelpProfileFactory(display_name="Rita Resumed", paused_until=today)
    open_ = OpenToHelpProfileFactory(display_name="Zed Open")
    SkillOfferFactory(profile=paused, skill=taxonomy.kubernetes, level=5)
    SkillOfferFactory(profile=closed, skill=taxonomy.kubernetes, level=5)
    SkillOfferFactory(profile=resumed, skill=taxonomy.kubernetes, level=2)
    SkillOfferFactory(profile=open_, skill=taxonomy.kubernetes, level=4)
    SkillWantedFactory(profile=ProfileFactory(display_name="Lena Learner"), skill=taxonomy.kubernetes)

    html = owner_client.get(reverse("skills:detail", args=[taxonomy.kubernetes.slug])).content.decode()

    order = [html.index(name) for name in ["Zed Open", "Rita Resumed", "Carl Closed", "Paula Paused"]]
    assert order[0] < order[1] < min(order[2:]), "available people come first, best level first"
    assert SKILL_LEVELS[4] in html and SKILL_LEVELS[2] in html
    assert "Who can help (4)" in html
    assert "Who wants to learn it (1)" in html and "Lena Learner" in html
    assert "k8s" in html


def test_it_lists_child_skills_and_the_parent(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:detail", args=[taxonomy.python.slug])).content.decode()
    assert reverse("skills:detail", args=[taxonomy.django.slug]) in html
    html = owner_client.get(reverse("skills:detail", args=[taxonomy.django.slug])).content.decode()
    assert "part of <a" in html and "Python" in html


def test_it_shows_empty_states_on_a_skill_nobody_uses_yet(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:detail", args=[taxonomy.negotiation.slug])).content.decode()
    assert "Nobody offers Negotiation yet" in html
    assert "Nobody has said they want to learn Negotiation yet" in html


def test_it_shows_moderation_tools_only_to_organisers(taxonomy, owner_client, organiser_client):
    url = reverse("skills:detail", args=[taxonomy.python.slug])
    assert "Moderate" not in owner_client.get(url).content.decode()
    assert reverse("skills:merge", args=[taxonomy.python.slug]) in organiser_client.get(url).content.decode()


def test_it_keeps_the_skill_list_queries_constant(taxonomy, owner_client):
    def grow(n):
        for _ in range(n):
            skill = SkillFactory(parent=taxonomy.python)
            SkillOfferFactory(skill=skill)
            SkillWantedFactory(skill=skill)

    assert_constant_queries(grow=grow, action=lambda: owner_client.get(reverse("skills:list")), large=150)


def test_it_keeps_the_skill_detail_queries_constant(taxonomy, owner_client):
    def grow(n):
        for _ in range(n):
            SkillOfferFactory(skill=taxonomy.kubernetes)
            SkillWantedFactory(skill=taxonomy.kubernetes)
            SkillFactory(parent=taxonomy.kubernetes)

    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    # From a full first page of people open to help on: a page short of them reads the rest as well.
    small = skill_people.OFFERS_SHOWN + 1
    assert_constant_queries(grow=grow, action=lambda: owner_client.get(url), small=small, large=150)


def test_it_keeps_the_moderation_queries_constant(taxonomy, organiser_client):
    from tests.factories_skills import ProposedSkillFactory

    def grow(n):
        for _ in range(n):
            ProposedSkillFactory(proposed_by=ProfileFactory().user)

    assert_constant_queries(
        grow=grow, action=lambda: organiser_client.get(reverse("skills:moderation")), large=120
    )


def test_it_keeps_the_search_text_when_the_category_is_unknown(taxonomy, owner_client):
    html = owner_client.get(reverse("skills:list"), {"q": "k8s", "category": "nope"}).content.decode()
    assert "Select a valid choice" in html
    assert "Kubernetes" in html and "Negotiation" not in html
