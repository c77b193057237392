"""Autocomplete: the JSON endpoint the script calls, and the same field working with no script at all."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.factories import SkillAliasFactory, SkillFactory
from tests.factories_skills import ProposedSkillFactory


def suggest(client, text):
    response = client.get(reverse("skills:autocomplete"), {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_it_shows_alias_hits_as_alias_arrow_skill(taxonomy, owner_client):
    [hit] = suggest(owner_client, "k8s")
    assert hit["label"] == "k8s → Kubernetes"
    assert hit["name"] == "Kubernetes"
    assert hit["alias"] == "k8s"
    assert hit["slug"] == taxonomy.kubernetes.slug
    assert hit["url"] == reverse("skills:detail", args=[taxonomy.kubernetes.slug])


def test_it_ranks_exact_then_prefix_then_substring(taxonomy, owner_client):
    SkillFactory(name="Java")
    SkillFactory(name="Kotlin for Java developers")
    labels = [hit["label"] for hit in suggest(owner_client, "java")]
    assert labels == ["Java", "JavaScript", "Kotlin for Java developers"]


def test_it_shows_each_skill_once_under_its_best_matching_name_or_alias(taxonomy, owner_client):
    SkillAliasFactory(skill=taxonomy.kubernetes, name="kube")
    assert [hit["label"] for hit in suggest(owner_client, "kube")] == ["kube → Kubernetes"]
    assert [hit["label"] for hit in suggest(owner_client, "kubernetes")] == ["Kubernetes"]


def test_it_includes_the_users_own_proposals_but_not_others(taxonomy, owner, outsider, owner_client):
    ProposedSkillFactory(name="Terraform", proposed_by=owner)
    ProposedSkillFactory(name="Terragrunt", proposed_by=outsider)
    hits = suggest(owner_client, "terra")
    assert [(hit["name"], hit["status"]) for hit in hits] == [("Terraform", "proposed")]


def test_it_returns_nothing_for_an_empty_query(taxonomy, owner_client):
    assert suggest(owner_client, "   ") == []
    assert owner_client.get(reverse("skills:autocomplete")).json()["results"] == []


def test_it_caps_the_number_of_suggestions(db, owner_client):
    for n in range(30):
        SkillFactory(name=f"Data thing {n:02}")
    assert len(suggest(owner_client, "data")) == 10


def test_it_resolves_the_plain_text_field_on_the_server_without_javascript(taxonomy, owner, organiser_client):
    # The merge form's field is a SkillField: typing an alias and submitting must work with no script.
    source = ProposedSkillFactory(name="Kube", proposed_by=owner)
    response = organiser_client.post(reverse("skills:merge", args=[source.slug]), {"into": "K8S"})
    assert response.status_code == 302
    assert response["Location"] == reverse("skills:detail", args=[taxonomy.kubernetes.slug])


def test_it_ships_an_accessible_combobox_script(db, owner_client):
    script = (Path(settings.BASE_DIR) / "static" / "js" / "autocomplete.js").read_text()
    for needle in ['"combobox"', '"listbox"', "aria-expanded", "aria-activedescendant", "ArrowDown", "Enter"]:
        assert needle in script
    html = owner_client.get(reverse("skills:propose")).content.decode()
    assert "js/autocomplete.js" in html
    assert "data-skill-autocomplete" in html
