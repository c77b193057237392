"""Signing up with a name: the same rule as the profile (lib.display_names), with a field error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.people.models import Profile
from openhelp.platform.accounts.models import User
from tests.accounts.test_signup import SIGNUP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Sam\u200bSignup", "Sam\u202eSignup", "Sam\nSignup", "Sam\x07"])
def test_it_refuses_an_invisible_character_in_the_name_and_keeps_what_was_typed(anonymous_client, typed):
    response = anonymous_client.post(reverse("account_signup"), {**SIGNUP, "display_name": typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"display_name"}
    assert form.errors["display_name"][0].startswith("Names cannot contain line breaks, tabs or invisible")
    assert form["display_name"].value() == typed
    assert 'value="sam@example.org"' in response.content.decode()
    assert not User.objects.filter(email="sam@example.org").exists()


def test_it_stores_the_name_in_its_normal_form(anonymous_client):
    response = anonymous_client.post(
        reverse("account_signup"), {**SIGNUP, "display_name": "  Ｓam   Signup "}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user__email="sam@example.org").display_name == "Sam Signup"
