"""A programme's members over the API: joining (once, again), and a member's address, whose user id past
what a database integer holds names nobody: a 404, as any other unknown id (SQLite's driver raised an
OverflowError, a 500; found by schemathesis)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from openhelp.directory.programmes.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BEYOND_64_BITS = 2**70


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_member_id_past_64_bits_is_a_404(programme, organiser, method):
    api = APIClient()
    api.force_authenticate(organiser)

    response = getattr(api, method)(
        f"/api/v1/programmes/{programme.pk}/members/{BEYOND_64_BITS}/", {"role": "organiser"}, format="json"
    )

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_joining_again_answers_200_and_the_programme_as_a_step_that_made_nothing(programme):
    """Joining is harmless twice, and the second makes nothing: a 200, no Location — as endorsing again
    does. Both ways in (the invite token, one's e-mail domain) answered 201 each time."""
    colleague = UserFactory(email="ada@guild.example")
    api = APIClient()
    api.force_authenticate(colleague)
    by_token = {"token": programme.invite_token, "accept_code_of_conduct": True}

    first = api.post("/api/v1/programmes/join/", by_token, format="json")
    again = api.post("/api/v1/programmes/join/", by_token, format="json")
    by_domain = api.post(
        f"/api/v1/programmes/{programme.pk}/join/", {"accept_code_of_conduct": True}, format="json"
    )

    assert first.status_code == 201 and first.has_header("Location")
    assert (again.status_code, by_domain.status_code) == (200, 200)
    assert not again.has_header("Location") and again.json()["id"] == programme.pk
    assert Membership.objects.filter(programme=programme, user=colleague).count() == 1


def test_joining_by_domain_first_answers_201(programme):
    colleague = UserFactory(email="ada@guild.example")
    api = APIClient()
    api.force_authenticate(colleague)

    response = api.post(
        f"/api/v1/programmes/{programme.pk}/join/", {"accept_code_of_conduct": True}, format="json"
    )

    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/programmes/{programme.pk}/"
