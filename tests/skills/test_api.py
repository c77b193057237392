"""The skills REST API under /api/v1/: list, search, autocomplete, propose, approve, merge."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.directory.people.models import SkillOffer
from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill
from openhelp.platform.notifications.models import Notification
from tests.factories import SkillFactory, SkillOfferFactory, make_access_token
from tests.factories_skills import ProposedSkillFactory
from tests.harness.queries import assert_constant_queries


@pytest.fixture
def token_client(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def test_it_lists_skills_paginated_with_aliases_and_counts(taxonomy, token_client):
    SkillOfferFactory.create_batch(2, skill=taxonomy.kubernetes)
    body = token_client.get(reverse("v1:skill-list")).json()
    assert body["count"] == 5
    by_name = {item["name"]: item for item in body["results"]}
    assert by_name["Kubernetes"]["aliases"] == ["k8s"]
    assert by_name["Kubernetes"]["offer_count"] == 2
    assert by_name["Kubernetes"]["category"] == {"name": "Engineering", "slug": "engineering"}
    assert by_name["Django"]["parent"] == "python"


def test_it_filters_the_list_by_alias_and_category(taxonomy, token_client):
    url = reverse("v1:skill-list")
    assert [s["name"] for s in token_client.get(url, {"q": "js"}).json()["results"]] == ["JavaScript"]
    assert [s["name"] for s in token_client.get(url, {"category": "people"}).json()["results"]] == [
        "Negotiation"
    ]
    response = token_client.get(url, {"category": "nope"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"category": ["There is no category “nope”."]}


def test_it_keeps_the_list_queries_constant(taxonomy, owner_client):
    def grow(n):
        for _ in range(n):
            skill = SkillFactory(parent=taxonomy.python)
            SkillOfferFactory(skill=skill)

    url = reverse("v1:skill-list") + "?page_size=100"
    # A session client: a token's last-used stamp is written only now and then, which is not N+1.
    assert_constant_queries(grow=grow, action=lambda: owner_client.get(url), large=150)


def test_it_autocompletes_through_the_api(taxonomy, token_client):
    body = token_client.get(reverse("v1:skill-autocomplete"), {"q": "k8s"}).json()
    assert body["results"][0]["label"] == "k8s → Kubernetes"
    assert body["results"][0]["alias"] == "k8s"


def test_it_shows_a_proposed_skill_only_to_its_proposer(taxonomy, owner, outsider, token_client):
    skill = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    url = reverse("v1:skill-detail", args=[skill.slug])
    assert token_client.get(url).json()["status"] == "proposed"
    _, other_key = make_access_token(outsider)
    response = Client(headers={"Authorization": f"Bearer {other_key}"}).get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_proposes_a_skill(taxonomy, owner, token_client):
    response = token_client.post(
        reverse("v1:skill-propose"),
        {"name": "Helm", "category": "engineering", "parent": "k8s", "description": "Charts"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "proposed"
    assert response.json()["parent"] == taxonomy.kubernetes.slug
    assert Skill.objects.get(name="Helm").proposed_by == owner


def test_it_answers_a_duplicate_proposal_with_field_errors(taxonomy, token_client):
    response = token_client.post(
        reverse("v1:skill-propose"), {"name": "K8s"}, content_type="application/json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["name"] == ["“K8s” is already known as “Kubernetes”. Use that skill instead."]
    assert fields["existing"] == [taxonomy.kubernetes.slug]


def test_it_answers_bad_proposal_fields_specifically(taxonomy, token_client):
    response = token_client.post(
        reverse("v1:skill-propose"),
        {"name": "", "category": "nope", "parent": "Pyton"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"name", "category", "parent"}


def test_it_rate_limits_proposals_with_a_429(db, owner, token_client):
    for n in range(services.proposals_per_hour()):
        services.propose_skill(user=owner, name=f"Idea {n}")
    response = token_client.post(
        reverse("v1:skill-propose"), {"name": "More"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "Please wait" in response.json()["error"]["message"]


def test_it_lets_organisers_approve_and_answers_409_the_second_time(taxonomy, owner, organiser_client):
    skill = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    url = reverse("v1:skill-approve", args=[skill.slug])
    response = organiser_client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Notification.objects.filter(recipient=owner, event="skill.proposal.approved").count() == 1
    assert organiser_client.post(url).status_code == 409


def test_it_lets_organisers_merge(taxonomy, owner, organiser_client):
    source = ProposedSkillFactory(name="Kube", proposed_by=owner)
    SkillOfferFactory(skill=source)
    response = organiser_client.post(
        reverse("v1:skill-merge", args=[source.slug]),
        {"into": "kubernetes"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "Kube" in response.json()["aliases"]
    assert SkillOffer.objects.filter(skill=taxonomy.kubernetes).count() == 1


def test_it_explains_a_bad_merge_target(taxonomy, organiser_client):
    url = reverse("v1:skill-merge", args=[taxonomy.python.slug])
    response = organiser_client.post(url, {"into": "nope"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"into": ["There is no skill “nope”."]}
    response = organiser_client.post(url, {"into": "python"}, content_type="application/json")
    assert response.json()["error"]["fields"] == {"into": ["A skill cannot be merged into itself."]}


def test_it_lets_organisers_reject_a_proposal_and_tells_the_proposer(taxonomy, owner, organiser_client):
    skill = ProposedSkillFactory(name="Kubernets", proposed_by=owner)
    url = reverse("v1:skill-reject", args=[skill.slug])
    response = organiser_client.post(
        url, {"reason": "A typo of Kubernetes."}, content_type="application/json"
    )
    assert response.status_code == 204 and not response.content
    assert not Skill.objects.filter(pk=skill.pk).exists()
    notice = Notification.objects.get(recipient=owner, event="skill.proposal.rejected")
    assert "A typo of Kubernetes." in notice.body
    approved = organiser_client.post(
        reverse("v1:skill-reject", args=[taxonomy.python.slug]), content_type="application/json"
    )
    assert approved.status_code == 409
    assert (
        approved.json()["error"]["message"]
        == "Only proposals can be rejected; merge an approved skill instead."
    )


def test_it_lets_organisers_rename_and_keeps_the_old_name_as_an_alias(
    taxonomy, organiser_client, token_client
):
    url = reverse("v1:skill-rename", args=[taxonomy.kubernetes.slug])
    assert (
        token_client.post(url, {"name": "K8s Platform"}, content_type="application/json").status_code == 404
    )
    response = organiser_client.post(url, {"name": "Kubernetes Platform"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Kubernetes Platform" and "Kubernetes" in response.json()["aliases"]
    url = reverse("v1:skill-rename", args=[response.json()["slug"]])  # the slug follows the name
    clash = organiser_client.post(url, {"name": "Python"}, content_type="application/json")
    assert clash.status_code == 400 and list(clash.json()["error"]["fields"]) == ["name"]


def test_it_documents_every_endpoint_in_the_schema(db, owner_client):
    response = owner_client.get("/api/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in [
        "/api/v1/skills/",
        "/api/v1/skills/autocomplete/",
        "/api/v1/skills/propose/",
        "/api/v1/skills/{slug}/",
        "/api/v1/skills/{slug}/approve/",
        "/api/v1/skills/{slug}/merge/",
    ]:
        assert path in text
    if schema is not None:
        params = {p["name"] for p in schema["paths"]["/api/v1/skills/"]["get"]["parameters"]}
        assert {"q", "category", "page"} <= params
