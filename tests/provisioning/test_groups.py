"""/scim/v2/Groups: teams and their members, with the events the roll-ups read."""

from __future__ import annotations

import pytest

from openhelp.directory.people.models import Profile, Team
from openhelp.platform.outbox.models import Event
from tests.factories import ProfileFactory, TeamFactory, UserFactory
from tests.factories_provisioning import patch_body
from tests.harness.outbox import last_event_id

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

pytestmark = pytest.mark.django_db


def person(email: str, team=None):
    user = UserFactory(email=email, with_profile=False)
    ProfileFactory(user=user, team=team)
    return user


def test_it_creates_a_team_with_members(scim):
    ada, grace = person("ada@example.org"), person("grace@example.org")
    body = {
        "schemas": [GROUP],
        "displayName": "Data",
        "externalId": "g-1",
        "members": [{"value": str(ada.pk)}],
    }
    response = scim.post("Groups", body)
    assert response.status_code == 201
    created = response.json()
    team = Team.objects.get(name="Data")
    assert created["id"] == str(team.pk) and created["externalId"] == "g-1"
    assert created["members"] == [
        {
            "value": str(ada.pk),
            "display": ada.profile.display_name,
            "$ref": f"http://testserver/scim/v2/Users/{ada.pk}",
        }
    ]
    assert Profile.objects.get(user=ada).team == team and Profile.objects.get(user=grace).team is None


def test_a_taken_team_name_is_409(scim):
    TeamFactory(name="Data")
    response = scim.post("Groups", {"schemas": [GROUP], "displayName": "data"})
    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"


def test_it_finds_a_group_by_display_name_and_leaves_members_out_when_asked(scim):
    team = TeamFactory(name="Data")
    person("ada@example.org", team=team)
    TeamFactory(name="Ops")
    body = scim.get("Groups", filter='displayName eq "data"', excludedAttributes="members").json()
    assert body["totalResults"] == 1
    assert body["Resources"][0]["displayName"] == "Data" and "members" not in body["Resources"][0]
    with_members = scim.get(f"Groups/{team.pk}").json()
    assert len(with_members["members"]) == 1


def test_members_filter_finds_the_team_of_a_person(scim):
    team = TeamFactory(name="Data")
    ada = person("ada@example.org", team=team)
    body = scim.get("Groups", filter=f'members.value eq "{ada.pk}"').json()
    assert [r["displayName"] for r in body["Resources"]] == ["Data"]


def test_patch_adds_and_removes_members_the_okta_and_entra_ways(scim):
    old_team, team = TeamFactory(name="Old"), TeamFactory(name="Data")
    ada, grace, alan = (
        person("ada@example.org", team=old_team),
        person("grace@example.org"),
        person("alan@example.org"),
    )
    after = last_event_id()
    add = {"op": "Add", "path": "members", "value": [{"value": str(ada.pk)}, {"value": str(grace.pk)}]}
    assert scim.patch(f"Groups/{team.pk}", patch_body(add)).status_code == 204
    assert set(Profile.objects.filter(team=team).values_list("user_id", flat=True)) == {ada.pk, grace.pk}
    moves = Event.objects.filter(id__gt=after, kind="profile.team_changed").order_by("id")
    assert [(e.payload["person"], e.payload["previous_team"], e.payload["team"]) for e in moves] == [
        (ada.pk, old_team.pk, team.pk),
        (grace.pk, None, team.pk),
    ]
    okta_remove = {"op": "remove", "path": f'members[value eq "{ada.pk}"]'}
    entra_remove = {"op": "Remove", "path": "members", "value": [{"value": str(grace.pk)}]}
    scim.patch(f"Groups/{team.pk}", patch_body(okta_remove))
    assert not Profile.objects.filter(team=team, user=ada).exists()
    scim.patch(
        f"Groups/{team.pk}",
        patch_body(entra_remove, {"op": "add", "path": "members", "value": [{"value": str(alan.pk)}]}),
    )
    assert list(Profile.objects.filter(team=team).values_list("user_id", flat=True)) == [alan.pk]


def test_patch_renames_a_team_with_a_pathless_value(scim):
    team = TeamFactory(name="Data")
    after = last_event_id()
    scim.patch(
        f"Groups/{team.pk}",
        patch_body({"op": "Replace", "value": {"id": str(team.pk), "displayName": "Data & AI"}}),
    )
    team.refresh_from_db()
    assert team.name == "Data & AI"
    assert Event.objects.filter(id__gt=after, kind="team.updated", payload__previous_name="Data").exists()


def test_put_makes_members_exactly_the_list(scim):
    team = TeamFactory(name="Data")
    ada, grace = person("ada@example.org", team=team), person("grace@example.org")
    response = scim.put(
        f"Groups/{team.pk}",
        {"schemas": [GROUP], "displayName": "Data", "members": [{"value": str(grace.pk)}]},
    )
    assert response.status_code == 200
    assert [m["value"] for m in response.json()["members"]] == [str(grace.pk)]
    assert Profile.objects.get(user=ada).team is None


def test_an_unknown_member_is_400(scim):
    team = TeamFactory(name="Data")
    response = scim.patch(
        f"Groups/{team.pk}", patch_body({"op": "add", "path": "members", "value": [{"value": "999999"}]})
    )
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"


def test_delete_removes_the_team_and_keeps_its_people(scim):
    team = TeamFactory(name="Data")
    ada = person("ada@example.org", team=team)
    after = last_event_id()
    assert scim.delete(f"Groups/{team.pk}").status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()
    assert Profile.objects.get(user=ada).team is None
    event = Event.objects.get(id__gt=after, kind="team.deleted")
    assert event.payload == {"team": team.pk, "members": [ada.pk]}
    assert scim.get(f"Groups/{team.pk}").status_code == 404
