"""Organisers approve, reject, rename and merge skills; proposers hear about the outcome."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openhelp.directory.people.models import SkillOffer, SkillWanted
from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill, SkillAlias
from openhelp.platform.notifications.models import Notification
from tests.factories import (
    ProfileFactory,
    SkillAliasFactory,
    SkillFactory,
    SkillOfferFactory,
    SkillWantedFactory,
)
from tests.factories_skills import ProposedSkillFactory


def test_it_approves_a_proposal_and_notifies_the_proposer_once(taxonomy, owner):
    skill = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    services.approve_skill(skill=skill)
    skill.refresh_from_db()
    assert skill.is_public
    note = Notification.objects.get(recipient=owner)
    assert note.event == "skill.proposal.approved"
    assert note.url == reverse("skills:detail", args=[skill.slug])
    assert note.dedupe_key == f"skill:{skill.pk}"
    assert "Terraform" in note.title
    with pytest.raises(services.AlreadyApproved):
        services.approve_skill(skill=skill)
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_it_approves_from_the_moderation_page(taxonomy, owner, organiser_client):
    skill = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    page = organiser_client.get(reverse("skills:moderation"))
    assert "Terraform" in page.content.decode()
    response = organiser_client.post(reverse("skills:approve", args=[skill.slug]), {"next": "moderation"})
    assert response["Location"] == reverse("skills:moderation")
    skill.refresh_from_db()
    assert skill.is_public
    assert "No proposals are waiting" in organiser_client.get(reverse("skills:moderation")).content.decode()


def test_it_rejects_a_proposal_and_tells_the_proposer(taxonomy, owner, organiser_client):
    skill = ProposedSkillFactory(name="Asdf", proposed_by=owner)
    organiser_client.post(reverse("skills:reject", args=[skill.slug]), {"reason": "Looks like a typo."})
    assert not Skill.objects.filter(pk=skill.pk).exists()
    note = Notification.objects.get(recipient=owner, event="skill.proposal.rejected")
    assert note.body.startswith("Looks like a typo. It has been removed")


def test_it_refuses_to_reject_an_approved_skill(taxonomy, organiser_client):
    organiser_client.post(reverse("skills:reject", args=[taxonomy.python.slug]))
    assert Skill.objects.filter(pk=taxonomy.python.pk).exists()


def test_it_keeps_the_old_name_as_an_alias_when_renaming(taxonomy):
    services.rename_skill(skill=taxonomy.javascript, name="ECMAScript")
    assert taxonomy.javascript.name == "ECMAScript"
    assert taxonomy.javascript.slug == "ecmascript"
    assert services.resolve_skill("JavaScript") == taxonomy.javascript
    assert services.resolve_skill("js") == taxonomy.javascript


def test_it_renames_to_an_existing_alias_without_keeping_a_duplicate(taxonomy):
    services.rename_skill(skill=taxonomy.kubernetes, name="K8s")
    assert set(taxonomy.kubernetes.aliases.values_list("name", flat=True)) == {"Kubernetes"}


def test_it_refuses_to_rename_onto_another_skill(taxonomy, organiser_client):
    with pytest.raises(services.DuplicateSkill):
        services.rename_skill(skill=taxonomy.javascript, name="k8s")
    response = organiser_client.post(
        reverse("skills:rename", args=[taxonomy.javascript.slug]), {"name": "Python"}
    )
    assert "is already the skill “Python”; merge them instead." in response.content.decode()
    assert 'value="Python"' in response.content.decode()


def test_it_renames_from_the_page(taxonomy, organiser_client):
    response = organiser_client.post(
        reverse("skills:rename", args=[taxonomy.kubernetes.slug]), {"name": "K8s platform"}
    )
    taxonomy.kubernetes.refresh_from_db()
    assert response["Location"] == reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    assert SkillAlias.objects.filter(skill=taxonomy.kubernetes, name="Kubernetes").exists()


def test_it_merges_keeping_every_reference(taxonomy, owner):
    source = ProposedSkillFactory(name="Kube", proposed_by=owner, parent=None, description="from source")
    SkillAliasFactory(skill=source, name="kubes")
    helm = SkillFactory(name="Helm", parent=source)
    both, only_source, only_target = ProfileFactory(), ProfileFactory(), ProfileFactory()
    SkillOfferFactory(profile=both, skill=source, level=5, note="I ran it for years")
    SkillOfferFactory(profile=both, skill=taxonomy.kubernetes, level=2)
    SkillOfferFactory(profile=only_source, skill=source, level=1)
    SkillOfferFactory(profile=only_target, skill=taxonomy.kubernetes, level=4)
    SkillWantedFactory(profile=both, skill=source, note="operators")
    SkillWantedFactory(profile=both, skill=taxonomy.kubernetes)
    SkillWantedFactory(profile=only_source, skill=source)

    target = services.merge_skills(source=source, target=taxonomy.kubernetes)

    assert not Skill.objects.filter(pk=source.pk).exists()
    offers = {offer.profile_id: offer for offer in SkillOffer.objects.filter(skill=target)}
    assert set(offers) == {both.pk, only_source.pk, only_target.pk}
    assert offers[both.pk].level == 5, "the higher level of the two is kept"
    assert offers[both.pk].note == "I ran it for years"
    assert offers[only_source.pk].level == 1
    assert offers[only_target.pk].level == 4
    wanted = {row.profile_id: row for row in SkillWanted.objects.filter(skill=target)}
    assert set(wanted) == {both.pk, only_source.pk}
    assert wanted[both.pk].note == "operators"
    assert SkillOffer.objects.count() == 3 and SkillWanted.objects.count() == 2
    assert set(target.aliases.values_list("name", flat=True)) == {"k8s", "kubes", "Kube"}
    assert services.resolve_skill("kube") == target
    helm.refresh_from_db()
    assert helm.parent == target
    assert target.is_public
    notice = Notification.objects.get(recipient=owner)
    assert notice.event == "skill.proposal.merged"


def test_it_merges_a_parent_into_its_own_child_without_a_cycle(taxonomy):
    flask = SkillFactory(name="Flask", parent=taxonomy.python)
    target = services.merge_skills(source=taxonomy.python, target=taxonomy.django)
    flask.refresh_from_db()
    assert target.parent is None
    assert flask.parent == target


def test_it_makes_the_target_public_only_if_the_source_was(taxonomy, owner):
    target = ProposedSkillFactory(name="Tf", proposed_by=owner)
    source = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    assert not services.merge_skills(source=source, target=target).is_public


def test_it_refuses_to_merge_a_skill_into_itself(taxonomy):
    with pytest.raises(ValidationError):
        services.merge_skills(source=taxonomy.python, target=taxonomy.python)


def test_it_merges_from_the_page_by_alias(taxonomy, owner, organiser_client):
    source = ProposedSkillFactory(name="Kube", proposed_by=owner)
    response = organiser_client.post(reverse("skills:merge", args=[source.slug]), {"into": "k8s"})
    assert response["Location"] == reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    assert not Skill.objects.filter(pk=source.pk).exists()


def test_it_explains_a_failed_merge_next_to_the_field(taxonomy, organiser_client):
    response = organiser_client.post(reverse("skills:merge", args=[taxonomy.python.slug]), {"into": "python"})
    assert "cannot be merged into itself" in response.content.decode()
    response = organiser_client.post(reverse("skills:merge", args=[taxonomy.python.slug]), {"into": "Pyton"})
    assert "We don&#x27;t know the skill “Pyton” yet." in response.content.decode()


def test_it_finds_every_foreign_key_to_skill_in_the_project_when_merging(db):
    from django.apps import apps

    from openhelp.directory.skills.merging import _references_to_skill

    expected = {
        (model._meta.label, field.name)
        for model in apps.get_models(include_auto_created=True)
        if model not in (Skill, SkillAlias)
        for field in model._meta.fields
        if field.is_relation and field.related_model is Skill
    }
    found = {(field.model._meta.label, field.name) for field in _references_to_skill()}
    assert expected == found
    assert ("people.SkillOffer", "skill") in found
