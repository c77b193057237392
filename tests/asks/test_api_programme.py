"""An ask can be scoped to one of the author's programmes through the API; others' are refused alike."""

from __future__ import annotations

import pytest

from openhelp.help.asks.models import Ask
from tests.asks.test_api import NEW_ASK, api_for, v1
from tests.factories_programmes import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_member_scopes_an_ask_to_their_programme(mentee, skills):
    programme = MembershipFactory(user=mentee).programme
    response = api_for(mentee).post(v1("asks-list"), {**NEW_ASK, "programme": programme.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["programme"] == programme.pk
    assert Ask.objects.get().programme == programme


@pytest.mark.parametrize("whose", ["someone else's", "missing"])
def test_another_programme_is_refused_with_the_same_words(mentee, skills, whose):
    programme_id = ProgrammeFactory().pk if whose == "someone else's" else 999_999
    response = api_for(mentee).post(v1("asks-list"), {**NEW_ASK, "programme": programme_id}, format="json")
    assert response.status_code == 400
    assert "Choose one of your own programmes." in str(response.json())
    assert not Ask.objects.exists()
