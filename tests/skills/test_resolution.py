"""Resolving typed names: aliases, visibility of proposals, children, and SkillField in forms."""

from __future__ import annotations

from django import forms

from openhelp.directory.skills.forms import SkillField
from openhelp.directory.skills.services import resolve_skill, search_skill_ids, with_descendants
from tests.factories import SkillFactory
from tests.factories_skills import ProposedSkillFactory


def test_it_resolves_names_and_aliases_whatever_the_case_and_spacing(taxonomy):
    assert resolve_skill("k8s") == taxonomy.kubernetes
    assert resolve_skill("  K8S ") == taxonomy.kubernetes
    assert resolve_skill("js") == taxonomy.javascript
    assert resolve_skill("javascript") == taxonomy.javascript
    assert resolve_skill("Java") is None
    assert resolve_skill("   ") is None


def test_it_resolves_a_proposed_skill_only_for_its_proposer(taxonomy, owner, outsider):
    terraform = ProposedSkillFactory(name="Terraform", proposed_by=owner)
    assert resolve_skill("terraform", user=owner) == terraform
    assert resolve_skill("terraform", user=outsider) is None
    assert resolve_skill("terraform") is None


def test_it_finds_child_skills_when_searching_for_the_parent(taxonomy):
    flask = SkillFactory(name="Flask", parent=taxonomy.python)
    wagtail = SkillFactory(name="Wagtail", parent=taxonomy.django)
    assert with_descendants([taxonomy.python.pk]) == {
        taxonomy.python.pk,
        taxonomy.django.pk,
        flask.pk,
        wagtail.pk,
    }
    assert taxonomy.django.pk in search_skill_ids("python")
    assert taxonomy.python.pk not in search_skill_ids("django")


def test_it_survives_a_parent_cycle_in_descendants(taxonomy):
    taxonomy.python.parent = taxonomy.django  # bad data from the admin must not hang a search
    taxonomy.python.save()
    assert with_descendants([taxonomy.python.pk]) == {taxonomy.python.pk, taxonomy.django.pk}


class OfferForm(forms.Form):
    skill = SkillField(label="Skill")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_user(user)


def test_it_resolves_an_alias_typed_without_javascript(taxonomy, owner):
    form = OfferForm({"skill": "k8s"}, user=owner)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["skill"] == taxonomy.kubernetes


def test_it_explains_an_unknown_skill_and_keeps_what_was_typed(taxonomy, owner):
    form = OfferForm({"skill": "Kubernets"}, user=owner)
    assert not form.is_valid()
    assert form.errors["skill"] == [
        "We don't know the skill “Kubernets” yet. Check the spelling or propose it."
    ]
    assert 'value="Kubernets"' in str(form["skill"])


def test_it_accepts_a_users_own_proposal_but_not_someone_elses(taxonomy, owner, outsider):
    ProposedSkillFactory(name="Terraform", proposed_by=owner)
    assert OfferForm({"skill": "Terraform"}, user=owner).is_valid()
    assert not OfferForm({"skill": "Terraform"}, user=outsider).is_valid()
    # Built with user= directly, as a one-off field.
    field = SkillField(user=owner)
    assert field.clean("terraform").name == "Terraform"


def test_it_requires_a_skill_unless_optional(taxonomy):
    assert OfferForm({"skill": ""}).errors["skill"] == ["This field is required."]
    assert SkillField(required=False).clean("") is None


def test_it_renders_an_input_the_script_can_enhance(taxonomy):
    html = str(OfferForm(initial={"skill": taxonomy.kubernetes})["skill"])
    assert "data-skill-autocomplete" in html
    assert 'data-autocomplete-url="/skills/autocomplete/"' in html
    assert 'value="Kubernetes"' in html
    assert "js/autocomplete.js" in str(OfferForm().media)


def test_it_shows_typed_digits_as_typed_and_an_initial_pk_as_a_name(taxonomy):
    assert f'value="{taxonomy.python.pk}"' in str(OfferForm({"skill": str(taxonomy.python.pk)})["skill"])
    assert 'value="Python"' in str(OfferForm(initial={"skill": taxonomy.python.pk})["skill"])
