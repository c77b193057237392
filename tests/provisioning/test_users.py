"""/scim/v2/Users through the test client: every answer checked against RFC 7644."""

from __future__ import annotations

import pytest

from openhelp.directory.people.models import Profile, Team
from openhelp.organisers.provisioning.models import ProvisionedPerson
from openhelp.platform.accounts.models import User
from tests.factories import ProfileFactory, TeamFactory, UserFactory
from tests.factories_provisioning import patch_body, user_body

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

pytestmark = pytest.mark.django_db


def test_it_creates_a_person_with_account_and_profile(scim):
    response = scim.post("Users", user_body("ada@example.org", externalId="00u1", title="Analyst"))
    assert response.status_code == 201
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    user = User.objects.get(email="ada@example.org")
    assert body["id"] == str(user.pk)
    assert response["Location"] == body["meta"]["location"] == f"http://testserver/scim/v2/Users/{user.pk}"
    assert body["userName"] == "ada@example.org"
    assert body["externalId"] == "00u1"
    assert body["name"] == {"formatted": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace"}
    assert body["active"] is True
    assert user.profile.display_name == "Ada Lovelace"
    assert user.profile.headline == "Analyst"
    assert not user.has_usable_password()


def test_it_answers_409_uniqueness_for_a_taken_user_name(scim):
    UserFactory(email="ada@example.org")
    response = scim.post("Users", user_body("ADA@example.org"))
    assert response.status_code == 409
    assert response.json() == {
        "schemas": [ERROR],
        "status": "409",
        "scimType": "uniqueness",
        "detail": "A user with userName ada@example.org already exists.",
    }


def test_it_refuses_a_user_name_that_is_no_address_without_a_primary_email(scim):
    response = scim.post("Users", {"userName": "ada", "emails": []})
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"


def test_it_uses_the_primary_email_when_the_user_name_is_not_an_address(scim):
    body = user_body("ada", emails=[{"value": "ada@example.org", "primary": True}])
    assert scim.post("Users", body).status_code == 201
    assert User.objects.filter(email="ada@example.org").exists()


def test_it_finds_a_person_by_user_name_case_insensitively(scim):
    UserFactory(email="ada@example.org")
    UserFactory(email="grace@example.org")
    response = scim.get("Users", filter='userName eq "Ada@Example.org"', startIndex=1, count=100)
    body = response.json()
    assert response.status_code == 200
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (1, 1, 1)
    assert [r["userName"] for r in body["Resources"]] == ["ada@example.org"]


def test_it_answers_an_empty_list_when_nobody_matches(scim):
    body = scim.get("Users", filter='userName eq "nobody@example.org"').json()
    assert body["totalResults"] == 0 and body["Resources"] == []


@pytest.mark.parametrize(
    "expression",
    ['userName gt "a"', 'nickName eq "x"', 'userName eq "unterminated', "userName eq", '(userName eq "a"'],
)
def test_it_answers_400_invalid_filter(scim, expression):
    response = scim.get("Users", filter=expression)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"
    assert response.json()["status"] == "400"


def test_it_pages_as_rfc_7644_says(scim):
    for n in range(5):
        UserFactory(email=f"p{n}@example.org")
    total = User.objects.count()
    body = scim.get("Users", startIndex=2, count=2).json()
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (total, 2, 2)
    ids = [int(r["id"]) for r in body["Resources"]]
    assert ids == sorted(User.objects.values_list("pk", flat=True))[1:3]
    zero = scim.get("Users", count=0).json()
    assert zero["totalResults"] == total and zero["Resources"] == []
    assert scim.get("Users", startIndex=0).json()["startIndex"] == 1


def test_it_filters_on_external_id_emails_and_display_name(scim):
    scim.post("Users", user_body("ada@example.org", externalId="abc-1"))
    scim.post("Users", user_body("grace@example.org", given="Grace", family="Hopper", externalId="abc-2"))
    assert _user_names(scim, 'externalId eq "abc-2"') == ["grace@example.org"]
    assert _user_names(scim, 'externalId eq "ABC-2"') == []  # caseExact
    assert _user_names(scim, 'emails.value eq "ada@example.org"') == ["ada@example.org"]
    assert _user_names(scim, 'displayName sw "grace"') == ["grace@example.org"]
    assert _user_names(scim, 'externalId sw "abc" and not (displayName co "hop")') == ["ada@example.org"]
    assert _user_names(scim, 'externalId eq "abc-1" or externalId eq "abc-2"') == [
        "ada@example.org",
        "grace@example.org",
    ]


def _user_names(scim, expression: str) -> list[str]:
    return [r["userName"] for r in scim.get("Users", filter=expression).json()["Resources"]]


def test_it_answers_404_for_an_unknown_user(scim):
    for resource_id in ("999999", "abc"):
        response = scim.get(f"Users/{resource_id}")
        assert response.status_code == 404
        assert response.json()["schemas"] == [ERROR]


def test_put_replaces_name_title_and_team(scim):
    user_id = scim.post("Users", user_body("ada@example.org", title="Analyst")).json()["id"]
    body = user_body(
        "ada.l@example.org", given="Augusta", title="Lead", **{ENTERPRISE: {"department": "Data"}}
    )
    response = scim.put(f"Users/{user_id}", body)
    assert response.status_code == 200
    profile = Profile.objects.select_related("user", "team").get(user_id=user_id)
    assert profile.user.email == "ada.l@example.org"
    assert profile.display_name == "Augusta Lovelace"
    assert profile.headline == "Lead"
    assert profile.team.name == "Data"
    assert response.json()[ENTERPRISE]["department"] == "Data"


def test_put_to_a_taken_user_name_is_409(scim):
    UserFactory(email="grace@example.org")
    user_id = scim.post("Users", user_body("ada@example.org")).json()["id"]
    response = scim.put(f"Users/{user_id}", user_body("grace@example.org"))
    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"


def test_enterprise_manager_is_our_id_or_the_directory_id(scim):
    boss = scim.post("Users", user_body("boss@example.org", externalId="okta-boss")).json()
    body = user_body("ada@example.org", **{ENTERPRISE: {"manager": {"value": boss["id"]}}})
    ada = scim.post("Users", body).json()
    assert ada[ENTERPRISE]["manager"]["value"] == boss["id"]
    scim.patch(
        f"Users/{ada['id']}",
        patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": "okta-boss"}),
    )
    assert Profile.objects.get(user_id=ada["id"]).manager_id == int(boss["id"])


def test_patch_variants_okta_and_entra_send(scim):
    team = TeamFactory(name="Ops")
    user_id = scim.post("Users", user_body("ada@example.org")).json()["id"]
    operations = [
        {"op": "Replace", "path": "name.givenName", "value": "Augusta"},  # Entra: capitalised
        {"op": "replace", "value": {"title": "Engineer", "name.familyName": "King"}},  # path-less object
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Ops"},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "ada.king@example.org"},
        {"op": "replace", "path": "userName", "value": "ada.king@example.org"},
    ]
    response = scim.patch(f"Users/{user_id}", patch_body(*operations))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"]["givenName"] == "Augusta" and body["name"]["familyName"] == "King"
    assert body["title"] == "Engineer"
    assert body["userName"] == "ada.king@example.org"
    profile = Profile.objects.get(user_id=user_id)
    assert profile.team == team and profile.display_name == "Augusta King"
    response = scim.patch(f"Users/{user_id}", patch_body({"op": "remove", "path": "title"}))
    assert "title" not in response.json()
    assert Profile.objects.get(user_id=user_id).headline == ""


def test_patch_with_a_bad_body_is_400(scim):
    user_id = scim.post("Users", user_body("ada@example.org")).json()["id"]
    assert scim.patch(f"Users/{user_id}", {"Operations": []}).json()["scimType"] == "invalidSyntax"
    bad_op = scim.patch(f"Users/{user_id}", patch_body({"op": "move", "path": "title"}))
    assert bad_op.status_code == 400
    remove_all = scim.patch(f"Users/{user_id}", patch_body({"op": "remove"}))
    assert remove_all.json()["scimType"] == "noTarget"
    bad_active = scim.patch(
        f"Users/{user_id}", patch_body({"op": "replace", "path": "active", "value": "maybe"})
    )
    assert bad_active.json()["scimType"] == "invalidValue"
    assert scim.post("Users", ["not", "an", "object"]).json()["scimType"] == "invalidSyntax"


def test_it_shows_nothing_a_person_wrote_themselves(scim):
    user = UserFactory(email="ada@example.org", with_profile=False)
    ProfileFactory(user=user, bio="My private story", meeting_link="https://meet.example.org/ada")
    text = scim.get(f"Users/{user.pk}").content.decode()
    assert "private story" not in text and "meet.example.org" not in text
    assert "password" not in text and "pbkdf2" not in text


def test_a_deleted_person_is_gone_for_scim_and_comes_back_with_a_new_post(scim):
    user_id = scim.post("Users", user_body("ada@example.org", externalId="x1")).json()["id"]
    assert scim.delete(f"Users/{user_id}").status_code == 204
    assert scim.get(f"Users/{user_id}").status_code == 404
    assert scim.get("Users", filter='userName eq "ada@example.org"').json()["totalResults"] == 0
    user = User.objects.get(pk=user_id)
    assert not user.is_active and ProvisionedPerson.objects.get(user=user).deleted_at is not None
    again = scim.post("Users", user_body("ada@example.org", externalId="x2"))
    assert again.status_code == 201 and again.json()["id"] == user_id
    user.refresh_from_db()
    assert user.is_active and user.scim.external_id == "x2" and user.scim.deleted_at is None


def test_department_makes_a_team_that_does_not_exist_yet(scim):
    scim.post("Users", user_body("ada@example.org", **{ENTERPRISE: {"department": "Research"}}))
    assert Team.objects.filter(name="Research").count() == 1
    scim.post("Users", user_body("grace@example.org", **{ENTERPRISE: {"department": "research"}}))
    assert Team.objects.filter(name__iexact="research").count() == 1


def test_attributes_and_excluded_attributes_trim_the_answer(scim):
    user_id = scim.post("Users", user_body("ada@example.org", title="Analyst")).json()["id"]
    only = scim.get(f"Users/{user_id}", attributes="userName").json()
    assert set(only) == {"schemas", "id", "meta", "userName"}
    without = scim.get(f"Users/{user_id}", excludedAttributes="title,emails").json()
    assert "title" not in without and "emails" not in without and without["userName"] == "ada@example.org"
