"""Proposing a skill: usable at once by the proposer, specific duplicate errors, a rate limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill
from tests.factories_skills import ProposedSkillFactory


def test_it_creates_a_proposal_only_its_proposer_can_use(taxonomy, owner, outsider):
    skill = services.propose_skill(user=owner, name="  Terraform  ", category=taxonomy.engineering)
    assert skill.status == Skill.Status.PROPOSED
    assert skill.proposed_by == owner
    assert skill.name == "Terraform"
    assert services.resolve_skill("terraform", user=owner) == skill
    assert services.resolve_skill("terraform", user=outsider) is None
    assert skill not in Skill.objects.approved()


@pytest.mark.parametrize("typed", ["kubernetes", "K8S", "  JavaScript "])
def test_it_refuses_a_duplicate_name_or_alias_and_points_to_the_existing_skill(taxonomy, owner, typed):
    with pytest.raises(services.DuplicateSkill) as caught:
        services.propose_skill(user=owner, name=typed)
    assert caught.value.existing in (taxonomy.kubernetes, taxonomy.javascript)
    assert f"already known as “{caught.value.existing.name}”" in caught.value.messages[0]


def test_it_does_not_reveal_someone_elses_pending_proposal(taxonomy, owner, outsider):
    ProposedSkillFactory(name="Terraform", proposed_by=outsider)
    with pytest.raises(services.DuplicateSkill) as caught:
        services.propose_skill(user=owner, name="terraform")
    assert "waiting for an organiser's approval" in caught.value.messages[0]


def test_it_keeps_c_cplusplus_and_csharp_apart(db, owner):
    slugs = {services.propose_skill(user=owner, name=name).slug for name in ["C", "C++", "C#"]}
    assert slugs == {"c", "c-plus-plus", "c-sharp"}


def test_it_never_gives_a_skill_a_slug_that_shadows_a_page(db, owner):
    assert services.propose_skill(user=owner, name="Propose").slug == "propose-skill"
    assert services.propose_skill(user=owner, name="propose skill").slug == "propose-skill-2"


def test_it_rate_limits_proposals_per_person(db, owner, outsider):
    for n in range(services.proposals_per_hour()):
        services.propose_skill(user=owner, name=f"Skill idea {n}")
    with pytest.raises(services.ProposalRateLimited) as caught:
        services.propose_skill(user=owner, name="One too many")
    assert "Please wait" in caught.value.messages[0]
    # Someone else still has their own allowance.
    services.propose_skill(user=outsider, name="One too many")


def test_it_does_not_count_rejected_duplicates_against_the_limit(taxonomy, owner):
    for _ in range(services.proposals_per_hour() + 2):
        with pytest.raises(services.DuplicateSkill):
            services.propose_skill(user=owner, name="k8s")
    assert services.proposals_left(user=owner) == services.proposals_per_hour()


def test_it_proposes_through_the_page_and_shows_the_skill_to_its_proposer(taxonomy, owner_client):
    response = owner_client.post(
        reverse("skills:propose"),
        {"name": "Terraform", "category": taxonomy.engineering.pk, "parent": "", "description": "IaC"},
    )
    skill = Skill.objects.get(name="Terraform")
    assert response.status_code == 302
    assert response["Location"] == reverse("skills:detail", args=[skill.slug])
    page = owner_client.get(response["Location"])
    assert "You proposed this skill" in page.content.decode()


def test_it_resolves_the_parent_typed_as_an_alias_without_javascript(taxonomy, owner_client):
    owner_client.post(reverse("skills:propose"), {"name": "Helm", "parent": "k8s"})
    assert Skill.objects.get(name="Helm").parent == taxonomy.kubernetes


def test_it_shows_a_duplicate_error_with_a_link_and_keeps_the_input(taxonomy, owner_client):
    response = owner_client.post(reverse("skills:propose"), {"name": "K8s", "description": "containers"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“K8s” is already known as “Kubernetes”" in html
    assert f'href="{reverse("skills:detail", args=[taxonomy.kubernetes.slug])}"' in html
    assert 'value="K8s"' in html
    assert "containers</textarea>" in html


def test_it_shows_the_unknown_parent_error_next_to_the_field(taxonomy, owner_client):
    response = owner_client.post(reverse("skills:propose"), {"name": "Helm", "parent": "Kubernets"})
    assert "We don&#x27;t know the skill “Kubernets” yet." in response.content.decode()
    assert not Skill.objects.filter(name="Helm").exists()


def test_it_shows_the_rate_limit_on_the_page(db, owner_client, owner):
    for n in range(services.proposals_per_hour()):
        services.propose_skill(user=owner, name=f"Idea {n}")
    response = owner_client.post(reverse("skills:propose"), {"name": "Another idea"})
    assert response.status_code == 200
    assert "Please wait a little" in response.content.decode()
    assert "0 more skills this hour" in response.content.decode()


def test_it_prefills_the_name_from_a_failed_search(db, owner_client):
    response = owner_client.get(reverse("skills:propose") + "?name=Terraform")
    assert 'value="Terraform"' in response.content.decode()


def test_it_hides_a_proposal_from_other_people_until_approved(taxonomy, owner, outsider_client, owner_client):
    skill = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    assert outsider_client.get(reverse("skills:detail", args=[skill.slug])).status_code == 404
    assert "Terraform" not in outsider_client.get(reverse("skills:list")).content.decode()
    assert "Terraform" in owner_client.get(reverse("skills:list")).content.decode()


def test_it_shows_a_duplicate_name_and_an_unknown_parent_together(taxonomy, owner_client):
    html = owner_client.post(reverse("skills:propose"), {"name": "k8s", "parent": "zzz"}).content.decode()
    assert "“k8s” is already known as “Kubernetes”" in html
    assert "We don&#x27;t know the skill “zzz” yet." in html
