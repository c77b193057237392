"""Labels end without a colon everywhere: the project's form renderer (``FORM_RENDERER``,
openhelp/platform/lib/forms.py) drops Django's default ":" from every label and legend it renders, so the
labels of ``as_field_group`` read like the hand-written ones."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django import forms
from django.urls import reverse

from openhelp.community.recognition.forms import KudosForm
from openhelp.help.asks.forms import AskForm
from openhelp.help.officehours.forms import WeekFilterForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LABELS = re.compile(r"<(label|legend)\b[^>]*>(.*?)</\1>", re.S)


def label_texts(html: str) -> list[str]:
    """The text of every label and legend, tags inside them removed."""
    return [" ".join(re.sub(r"<[^>]+>", " ", inner).split()) for _tag, inner in LABELS.findall(html)]


def assert_no_colon(html: str) -> None:
    texts = label_texts(html)
    assert texts, "the page has labels"
    assert [text for text in texts if text.endswith(":")] == []


def test_a_checkbox_label_has_no_colon():
    fit = WeekFilterForm()["fit"]
    assert fit.label_tag() == '<label for="id_fit">Only during my working hours</label>'
    assert_no_colon(str(fit.as_field_group()))


def test_text_fields_and_their_group_have_no_colon(owner):
    form = KudosForm(user=owner)
    assert form["message"].label_tag() == '<label for="id_message">Message (optional)</label>'
    assert_no_colon(form.as_div())


def test_a_legend_has_no_colon(owner):
    form = AskForm(user=owner)
    assert form["format"].legend_tag() == "<legend>Format</legend>"
    assert form["objective"].label_tag() == '<label for="id_objective">Objective: by the end I can …</label>'
    assert_no_colon(form.as_div())


def test_a_suffix_asked_for_is_kept():
    class Form(forms.Form):
        name = forms.CharField(label="Name", label_suffix=" *")

    assert Form()["name"].label_tag() == '<label for="id_name">Name *</label>'
    assert Form()["name"].label_tag(label_suffix="?") == '<label for="id_name">Name?</label>'


@pytest.mark.parametrize("name", ["account_signup", "account_login"])
def test_the_sign_up_and_log_in_pages_have_no_colon(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_no_colon(response.content.decode())


def test_the_pages_of_forms_from_different_apps_have_no_colon(client):
    user = UserFactory()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    client.force_login(user)
    pages = ("officehours:week", "asks:new", "people:directory", "account_email", "core:style")
    for url in map(reverse, pages):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_colon(response.content.decode())


@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_the_account_pages_say_e_mail_address_as_the_rest_of_the_product(client, name):
    texts = label_texts(client.get(reverse(name)).content.decode())
    assert "E-mail address" in texts
    assert "Email" not in texts
