"""Programme pages and API, and the access matrix: non-members get 404 for a programme's pages, members
get 404 for its organiser pages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.programmes import access
from openhelp.directory.programmes.models import Programme
from tests.harness.access import Row, assert_access_matrix

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme, organiser, member, outsider):
    return SimpleNamespace(
        programme=programme,
        member=member,
        clients={
            "anonymous": Client(),
            "outsider": client_for(outsider),
            "member": client_for(member),
            "organiser": client_for(organiser),
        },
    )


def slug_url(name):
    return lambda w: reverse(name, args=[w.programme.slug])


ACCESS = [
    Row("GET", lambda w: reverse("programmes:list"), {"anonymous": 302, "outsider": 200, "member": 200}),
    Row("GET", lambda w: reverse("programmes:new"), {"outsider": 404, "member": 404, "organiser": 200}),
    Row(
        "GET",
        slug_url("programmes:detail"),
        {"anonymous": 302, "outsider": 404, "member": 200, "organiser": 200},
    ),
    Row("GET", slug_url("programmes:edit"), {"outsider": 404, "member": 404, "organiser": 200}),
    Row("GET", slug_url("programmes:members"), {"outsider": 404, "member": 404, "organiser": 200}),
    Row("POST", slug_url("programmes:rotate-invite"), {"outsider": 404, "member": 404}),
    Row(
        "POST", slug_url("programmes:add-members"), {"outsider": 404, "member": 404}, data={"emails": "x@y.z"}
    ),
    Row(
        "POST",
        lambda w: reverse("programmes:remove-member", args=[w.programme.slug, w.member.pk]),
        {"outsider": 404, "member": 404},
    ),
    Row("GET", lambda w: f"/api/v1/programmes/{w.programme.pk}/", {"outsider": 404, "member": 200}),
    Row(
        "GET",
        lambda w: f"/api/v1/programmes/{w.programme.pk}/members/",
        {"outsider": 404, "member": 404, "organiser": 200},
    ),
    Row(
        "PATCH",
        lambda w: f"/api/v1/programmes/{w.programme.pk}/",
        {"outsider": 404, "member": 404},
        data={"name": "X"},
        json=True,
    ),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
    assert world.programme.name == "Data Guild" and access.is_member(world.programme, world.member)


def test_an_organiser_creates_and_edits_a_programme_on_the_web(organiser):
    client = client_for(organiser)
    response = client.post(
        reverse("programmes:new"),
        {
            "name": "Data Guild",
            "description": "Hi",
            "offers_per_round": "2",
            "weight_load": "1",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Data Guild")
    assert programme.offers_per_round == 2 and programme.matching_weights == {"load": 1.0}
    bad = client.post(
        reverse("programmes:edit", args=[programme.slug]),
        {"name": "Data Guild", "weight_load": "heavy", "offers_per_round": "2"},
    )
    assert bad.status_code == 400
    assert "Enter a number, like 0.5." in bad.content.decode()
    assert 'value="heavy"' in bad.content.decode()  # keeps what was typed
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Experts offered an ask at once" in page and "Members and invite link" in page


def test_the_programme_form_says_what_each_site_default_is(organiser, settings):
    settings.ROUTING = {
        **settings.ROUTING,
        "PROMISED_RESPONSE": {"today": 3, "this_week": 40, "flexible": 100},
    }
    settings.NO_SHOW_POLICY = {"MAX_NO_SHOWS": 4, "WINDOW_DAYS": 60}

    form = client_for(organiser).get(reverse("programmes:new")).context["form"]

    helps = {name: form.fields[name].help_text for name in ("response_hours_today", "no_show_max")}
    assert helps == {
        "response_hours_today": "Empty: the site default, 3.",
        "no_show_max": "Empty: the site default, 4.",
    }
    assert form.fields["response_hours_flexible"].help_text == "Empty: the site default, 100."
    assert form.fields["no_show_window_days"].help_text == "Empty: the site default, 60."


def test_leaving_asks_once_more_before_it_leaves(programme, member):
    page = " ".join(client_for(member).get(programme.get_absolute_url()).content.decode().split())

    folded = page.split('<details class="disclosure leave-programme">')[1].split("</details>")[0]
    assert "<summary>Leave the programme</summary>" in folded
    assert reverse("programmes:leave", args=[programme.slug]) in folded
    assert '<button type="submit" class="danger">Leave Data Guild</button>' in folded
    assert page.count('action="' + reverse("programmes:leave", args=[programme.slug])) == 1


def test_the_members_table_has_small_quiet_buttons_that_name_their_person(programme, organiser, member):
    page = " ".join(
        client_for(organiser)
        .get(reverse("programmes:members", args=[programme.slug]))
        .content.decode()
        .split()
    )

    name = member.profile.display_name
    assert (
        f'<button type="submit" class="secondary danger small">Remove<span class="visually-hidden"> {name}</span></button>'
        in page
    )
    assert f'Make organiser<span class="visually-hidden">: {name}</span>' in page
    assert 'class="danger">Remove' not in page
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="members-heading">' in page


def test_the_join_page_shows_the_code_and_needs_it_accepted(programme, outsider):
    client = client_for(outsider)
    url = reverse("programmes:join-token", args=[programme.invite_token])
    page = client.get(url)
    assert page.status_code == 200 and "Be kind." in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400 and "accept the code of conduct" in refused.content.decode()
    assert client.post(url, {"accept_code_of_conduct": "on"}).status_code == 302
    assert access.is_member(programme, outsider)
    assert client.get(reverse("programmes:join-token", args=["wrong"])).status_code == 404
    left = client.post(reverse("programmes:leave", args=[programme.slug]))
    assert left.status_code == 302 and not access.is_member(programme, outsider)


def test_the_list_shows_mine_and_those_i_can_join_by_domain(programme, member):
    from tests.factories import UserFactory

    colleague = UserFactory(email="ada@guild.example")
    page = client_for(colleague).get(reverse("programmes:list")).content.decode()
    assert "Programmes you can join" in page and "Data Guild" in page
    assert client_for(colleague).get(programme.get_absolute_url()).status_code == 200
    assert "Data Guild" in client_for(member).get(reverse("programmes:list")).content.decode()


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_creates_lists_joins_and_lists_members(organiser, outsider, owner):
    client = api_for(organiser)
    created = client.post(
        "/api/v1/programmes/",
        {"name": "API Guild", "code_of_conduct": "Be kind.", "late_cancel_hours": 12},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["late_cancel_hours"] == 12 and body["my_membership"]["role"] == "organiser"
    bad = client.patch(f"/api/v1/programmes/{body['id']}/", {"matching_weights": {"nope": 1}}, format="json")
    assert bad.status_code == 400 and "matching_weights" in bad.json()["error"]["fields"]
    assert api_for(owner).post("/api/v1/programmes/", {"name": "X"}, format="json").status_code == 403
    token = Programme.objects.get(pk=body["id"]).invite_token
    joiner = api_for(outsider)
    refused = joiner.post("/api/v1/programmes/join/", {"token": token}, format="json")
    assert refused.status_code == 400 and "accept_code_of_conduct" in refused.json()["error"]["fields"]
    wrong = joiner.post(
        "/api/v1/programmes/join/", {"token": "x", "accept_code_of_conduct": True}, format="json"
    )
    assert wrong.status_code == 400 and "token" in wrong.json()["error"]["fields"]
    joined = joiner.post(
        "/api/v1/programmes/join/", {"token": token, "accept_code_of_conduct": True}, format="json"
    )
    assert joined.status_code == 201 and joined.json()["my_membership"]["role"] == "member"
    assert [p["name"] for p in joiner.get("/api/v1/programmes/").json()["results"]] == ["API Guild"]
    members = client.get(f"/api/v1/programmes/{body['id']}/members/").json()["results"]
    assert {m["email"] for m in members} == {"organiser@example.org", "outsider@example.org"}


def test_the_api_leaves_a_programme_as_the_web_does(programme, organiser, member, outsider):
    url = f"/api/v1/programmes/{programme.pk}/leave/"
    assert api_for(outsider).post(url).status_code == 404  # not one of theirs
    only = api_for(organiser).post(url)
    assert only.status_code == 400
    assert only.json()["error"]["fields"] == {
        "non_field_errors": ["You are the only organiser: make someone else an organiser before you leave."]
    }
    left = api_for(member).post(url)
    assert left.status_code == 204 and not left.content
    assert not access.is_member(programme, member)
    assert api_for(member).post(url).status_code == 404


def test_the_api_adds_promotes_and_removes_members(programme, organiser, member, outsider):
    client, members = api_for(organiser), f"/api/v1/programmes/{programme.pk}/members/"
    assert api_for(member).post(members, {"emails": [outsider.email]}, format="json").status_code == 404
    unknown = client.post(members, {"emails": ["nobody@example.org"]}, format="json")
    assert (
        unknown.status_code == 400 and "nobody@example.org" in unknown.json()["error"]["fields"]["emails"][0]
    )
    added = client.post(members, {"emails": [outsider.email, member.email]}, format="json")
    assert added.status_code == 200
    assert added.json() == {"added": [outsider.pk], "promoted": [], "already": [member.pk]}
    assert access.is_member(programme, outsider)

    promoted = client.patch(f"{members}{outsider.pk}/", {"role": "organiser"}, format="json")
    assert promoted.status_code == 200 and promoted.json()["role"] == "organiser"
    assert client.patch(f"{members}{outsider.pk}/", {"role": "boss"}, format="json").status_code == 400

    assert client.delete(f"{members}{member.pk}/").status_code == 204
    assert not access.is_member(programme, member)
    assert client.delete(f"{members}{member.pk}/").status_code == 404
    last = api_for(outsider).delete(f"{members}{organiser.pk}/")
    assert last.status_code == 204  # two organisers: one may remove the other
    only = api_for(outsider).delete(f"{members}{outsider.pk}/")
    assert only.status_code == 400
    assert only.json()["error"]["fields"] == {
        "non_field_errors": ["A programme needs at least one organiser."]
    }


def test_a_member_sees_no_organiser_badge_nor_links_to_the_organiser_pages(programme, member, organiser):
    page = client_for(member).get(programme.get_absolute_url()).content.decode()
    assert "Members and invite link" not in page and "Edit the programme" not in page
    assert '<span class="badge">Organiser</span>' not in page
    assert (
        "Members and invite link" in client_for(organiser).get(programme.get_absolute_url()).content.decode()
    )
