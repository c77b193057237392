"""Joining a programme on one's own because one's e-mail domain is its allowed one, through the API: the
web has it (the programmes page lists "programmes you can join", ``/programmes/<slug>/join/``); the API
only knew the invite token, so a client could neither find such a programme nor join it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.programmes import access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def join(programme) -> str:
    return reverse("api:programmes-join-by-domain", args=[programme.pk])


@pytest.fixture
def colleague():
    return UserFactory(email="ada@guild.example")


def test_a_colleague_finds_the_programme_they_may_join(programme, colleague, outsider):
    listed = api_for(colleague).get(reverse("api:programmes-list"), {"joinable": "true"})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [programme.pk]
    mine = api_for(colleague).get(reverse("api:programmes-list"))
    assert mine.json()["results"] == []  # not a member yet
    assert api_for(outsider).get(reverse("api:programmes-list"), {"joinable": "true"}).json()["results"] == []


def test_a_colleague_joins_accepting_the_code_of_conduct(programme, colleague):
    client = api_for(colleague)
    refused = client.post(join(programme), {}, format="json")
    assert refused.status_code == 400
    assert "accept_code_of_conduct" in refused.json()["error"]["fields"]
    assert not access.is_member(programme, colleague)
    response = client.post(join(programme), {"accept_code_of_conduct": True}, format="json")
    assert response.status_code == 201
    assert response["Location"].endswith(reverse("api:programmes-detail", args=[programme.pk]))
    assert response.json()["id"] == programme.pk
    assert access.is_member(programme, colleague)
    assert client.get(reverse("api:programmes-list"), {"joinable": "true"}).json()["results"] == []


def test_someone_of_another_domain_learns_nothing(programme, outsider):
    response = api_for(outsider).post(join(programme), {"accept_code_of_conduct": True}, format="json")
    assert response.status_code == 404
    assert not access.is_member(programme, outsider)


def test_a_typo_in_the_body_is_a_400(programme, colleague):
    response = api_for(colleague).post(
        join(programme), {"accept_code_of_conduct": True, "tokn": "x"}, format="json"
    )
    assert response.status_code == 400 and "tokn" in response.json()["error"]["fields"]
