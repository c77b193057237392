"""The invite link (read and rotate, its organisers only) and accepting the code of conduct (the member
themself) through the API: the same services and the same answers as the web, side by side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.programmes import access
from openhelp.directory.programmes.models import Membership
from tests.factories import UserFactory
from tests.harness.access import Row, assert_access_matrix

from .conftest import START, client_for

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def invite(programme) -> str:
    return reverse("api:programmes-invite", args=[programme.pk])


def rotate(programme) -> str:
    return reverse("api:programmes-invite-rotate", args=[programme.pk])


def accept(programme) -> str:
    return reverse("api:programmes-accept-code-of-conduct", args=[programme.pk])


@pytest.fixture
def world(programme, organiser, member, outsider):
    """Besides the programme's organiser and member: someone who is in no programme, someone whose e-mail
    domain lets them see (and join) it, and a site organiser who does not organise this one."""
    colleague = UserFactory(email="ada@guild.example")
    other_organiser = UserFactory(email="otto@example.org", is_organiser=True)
    people = {
        "outsider": outsider,
        "colleague": colleague,
        "other_organiser": other_organiser,
        "member": member,
        "organiser": organiser,
    }
    return SimpleNamespace(
        programme=programme,
        clients={"anonymous": Client(), **{role: client_for(user) for role, user in people.items()}},
    )


def roles(anonymous, organiser, member=404):
    return {
        "anonymous": anonymous,
        "outsider": 404,
        "colleague": 404,
        "other_organiser": 404,
        "member": member,
        "organiser": organiser,
    }


ACCESS = [
    # The web's own pages for the same actions, so the two can be read side by side.
    Row("GET", lambda w: reverse("programmes:members", args=[w.programme.slug]), roles(302, 200)),
    Row("POST", lambda w: reverse("programmes:rotate-invite", args=[w.programme.slug]), roles(302, 302)),
    Row("POST", lambda w: reverse("programmes:accept", args=[w.programme.slug]), roles(302, 302, member=302)),
    Row("GET", lambda w: invite(w.programme), roles(401, 200)),
    Row("POST", lambda w: rotate(w.programme), roles(401, 200)),
    Row("POST", lambda w: accept(w.programme), roles(401, 200, member=200)),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)


def test_an_organiser_reads_the_link_the_members_page_shows(programme, organiser):
    response = api_for(organiser).get(invite(programme))
    assert response.status_code == 200
    url = f"http://testserver/programmes/join/{programme.invite_token}/"
    assert response.json() == {"token": programme.invite_token, "url": url}
    page = client_for(organiser).get(reverse("programmes:members", args=[programme.slug]))
    assert url in page.content.decode()


def test_rotating_makes_a_new_link_and_the_old_one_stops_working(programme, organiser, outsider):
    old = programme.invite_token
    response = api_for(organiser).post(rotate(programme))
    assert response.status_code == 200
    new = response.json()["token"]
    programme.refresh_from_db()
    assert new != old and programme.invite_token == new
    assert response.json()["url"] == f"http://testserver/programmes/join/{new}/"
    assert api_for(organiser).get(invite(programme)).json()["token"] == new

    joiner = api_for(outsider)
    stale = joiner.post(
        "/api/v1/programmes/join/", {"token": old, "accept_code_of_conduct": True}, format="json"
    )
    assert stale.status_code == 400 and "token" in stale.json()["error"]["fields"]
    fresh = joiner.post(
        "/api/v1/programmes/join/", {"token": new, "accept_code_of_conduct": True}, format="json"
    )
    assert fresh.status_code == 201 and access.is_member(programme, outsider)


def test_no_one_else_rotates_the_link(programme, member, outsider):
    old = programme.invite_token
    for user in (member, outsider, UserFactory(is_organiser=True)):
        assert api_for(user).post(rotate(programme)).status_code == 404
        assert api_for(user).get(invite(programme)).json()["error"]["code"] == "not_found"
    assert APIClient().post(rotate(programme)).status_code == 401
    programme.refresh_from_db()
    assert programme.invite_token == old


def test_a_member_accepts_the_code_of_conduct_once(programme, member):
    membership = Membership.objects.get(programme=programme, user=member)
    assert membership.accepted_code_of_conduct_at is None
    page = client_for(member).get(programme.get_absolute_url()).content.decode()
    assert "Please read its code of conduct and accept it" in page

    response = api_for(member).post(accept(programme))
    assert response.status_code == 200
    accepted = response.json()["my_membership"]["accepted_code_of_conduct_at"]
    assert accepted is not None and response.json()["code_of_conduct"] == "Be kind."
    membership.refresh_from_db()
    assert START <= membership.accepted_code_of_conduct_at
    page = client_for(member).get(programme.get_absolute_url()).content.decode()
    assert "Please read its code of conduct and accept it" not in page

    again = api_for(member).post(accept(programme))
    assert again.status_code == 200
    assert again.json()["my_membership"]["accepted_code_of_conduct_at"] == accepted


def test_someone_who_may_only_join_cannot_accept_for_a_membership_they_lack(programme):
    colleague = UserFactory(email="ada@guild.example")
    assert client_for(colleague).get(programme.get_absolute_url()).status_code == 200  # may see it
    response = api_for(colleague).post(accept(programme))
    assert response.status_code == 404
    assert not access.is_member(programme, colleague)
