"""The proof: the RFC 7644 request sequence an identity provider sends (Okta, then Entra ID's variants),
replayed with ``requests`` against a live server, each answer checked as the provider would.

One test on purpose: it is one provider's conversation, each step relying on the ones before."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from openhelp.directory.people.models import Profile, Team
from openhelp.help.officehours.models import BookingState
from openhelp.platform.accounts.models import User
from openhelp.platform.outbox.models import Event
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee
from tests.factories_provisioning import make_scim_token

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Provider:
    """What an identity provider's SCIM client does: JSON in and out, bearer token, scim+json."""

    def __init__(self, base: str, secret: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {secret}",
                "Accept": "application/scim+json",
                "Content-Type": "application/scim+json",
            }
        )

    def call(
        self, method: str, path: str, body: dict | None = None, params: dict | None = None, expect: int = 200
    ):
        response = self.session.request(method, self.base + path, json=body, params=params, timeout=30)
        assert response.status_code == expect, (method, path, response.status_code, response.text)
        if response.content:
            assert response.headers["Content-Type"] == "application/scim+json"
            return response.json()
        return None

    def find_user(self, user_name: str) -> list[dict]:
        body = self.call(
            "GET", "/Users", params={"filter": f'userName eq "{user_name}"', "startIndex": 1, "count": 100}
        )
        assert body["schemas"] == [LIST] and body["startIndex"] == 1
        assert body["totalResults"] == len(body["Resources"]) == body["itemsPerPage"]
        return body["Resources"]


def ops(*operations: dict) -> dict:
    return {"schemas": [PATCH], "Operations": list(operations)}


def test_an_identity_provider_creates_updates_groups_and_deactivates_people(live_server):
    _, secret = make_scim_token("Okta")
    base = f"{live_server.url}/scim/v2"
    okta = Provider(base, secret)

    # Discovery, as the "Test connector configuration" button does.
    assert okta.call("GET", "/ServiceProviderConfig")["patch"] == {"supported": True}
    assert {r["id"] for r in okta.call("GET", "/ResourceTypes")["Resources"]} == {"User", "Group"}
    assert okta.call("GET", "/Schemas")["totalResults"] == 3

    # Okta: look the person up, create them, read them back.
    assert okta.find_user("ada@example.org") == []
    created = okta.call(
        "POST",
        "/Users",
        {
            "schemas": [USER, ENTERPRISE],
            "userName": "ada@example.org",
            "externalId": "00u1ada",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"primary": True, "value": "ada@example.org", "type": "work"}],
            "displayName": "Ada Lovelace",
            "title": "Analyst",
            "active": True,
            ENTERPRISE: {"department": "Data"},
        },
        expect=201,
    )
    ada_id = created["id"]
    assert created["meta"]["location"] == f"{base}/Users/{ada_id}"
    assert okta.call("GET", f"/Users/{ada_id}")["userName"] == "ada@example.org"
    assert [u["id"] for u in okta.find_user("ada@example.org")] == [ada_id]
    duplicate = okta.call("POST", "/Users", {"schemas": [USER], "userName": "ada@example.org"}, expect=409)
    assert (
        duplicate["schemas"] == [ERROR]
        and duplicate["scimType"] == "uniqueness"
        and duplicate["status"] == "409"
    )

    # Okta pushes a profile change with PUT.
    put = okta.call("PUT", f"/Users/{ada_id}", {**created, "title": "Lead analyst", "meta": None})
    assert put["title"] == "Lead analyst" and put[ENTERPRISE]["department"] == "Data"

    # Entra ID: its own token, capitalised ops, path-less objects, string booleans.
    _, entra_secret = make_scim_token("Entra ID")
    entra = Provider(base, entra_secret)
    grace = entra.call(
        "POST",
        "/Users",
        {
            "schemas": [USER, ENTERPRISE],
            "externalId": "a1b2-grace",
            "userName": "grace@example.org",
            "active": True,
            "displayName": "Grace Hopper",
            "emails": [{"primary": True, "type": "work", "value": "grace@example.org"}],
            "name": {"formatted": "Grace Hopper", "familyName": "Hopper", "givenName": "Grace"},
            ENTERPRISE: {"manager": {"value": ada_id}},
        },
        expect=201,
    )
    grace_id = grace["id"]
    patched = entra.call(
        "PATCH",
        f"/Users/{grace_id}",
        ops(
            {"op": "Replace", "path": "displayName", "value": "Rear Admiral Grace Hopper"},
            {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Navy"},
            {"op": "Replace", "value": {"title": "Admiral"}},
        ),
    )
    assert patched["displayName"] == "Rear Admiral Grace Hopper" and patched["title"] == "Admiral"
    assert patched[ENTERPRISE]["manager"]["value"] == ada_id

    # Groups: look up, create, add and remove members both ways, read without members.
    assert entra.call("GET", "/Groups", params={"filter": 'displayName eq "Platform"'})["totalResults"] == 0
    group = entra.call(
        "POST",
        "/Groups",
        {"schemas": [GROUP], "displayName": "Platform", "externalId": "grp-1", "members": []},
        expect=201,
    )
    group_id = group["id"]
    entra.call(
        "PATCH",
        f"/Groups/{group_id}",
        ops({"op": "Add", "path": "members", "value": [{"value": ada_id}, {"value": grace_id}]}),
        expect=204,
    )
    members = okta.call("GET", f"/Groups/{group_id}")["members"]
    assert sorted(m["value"] for m in members) == sorted([ada_id, grace_id])
    okta.call(
        "PATCH",
        f"/Groups/{group_id}",
        ops({"op": "remove", "path": f'members[value eq "{ada_id}"]'}),
        expect=204,
    )
    entra.call(
        "PATCH",
        f"/Groups/{group_id}",
        ops({"op": "Remove", "path": "members", "value": [{"value": grace_id}]}),
        expect=204,
    )
    slim = okta.call("GET", f"/Groups/{group_id}", params={"excludedAttributes": "members"})
    assert "members" not in slim and slim["displayName"] == "Platform"
    okta.call(
        "PATCH",
        f"/Groups/{group_id}",
        ops({"op": "add", "path": "members", "value": [{"value": ada_id}]}),
        expect=204,
    )
    assert Profile.objects.get(user_id=ada_id).team.name == "Platform"

    # Grace has a booking with Ada; Okta deactivates Ada: the booking is cancelled, Ada cannot log in.
    mentor = User.objects.get(pk=ada_id)
    Profile.objects.filter(user=mentor).update(open_to_help=True, timezone="Europe/Berlin")
    block = OfficeHoursFactory(mentor=mentor, start_time=dt.time(0, 0), end_time=dt.time(23, 30))
    booking = book(block, make_mentee(), skip=30)
    deactivated = okta.call("PATCH", f"/Users/{ada_id}", ops({"op": "replace", "value": {"active": False}}))
    assert deactivated["active"] is False
    assert not User.objects.get(pk=ada_id).is_active
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert Event.objects.filter(kind="person.deactivated", payload__person=int(ada_id)).count() == 1

    # Entra ID's deactivation sends the string "False"; then it deletes the user 30 days later.
    entra.call("PATCH", f"/Users/{grace_id}", ops({"op": "Replace", "path": "active", "value": "False"}))
    assert not User.objects.get(pk=grace_id).is_active
    entra.call("DELETE", f"/Users/{grace_id}", expect=204)
    gone = entra.call("GET", f"/Users/{grace_id}", expect=404)
    assert gone["schemas"] == [ERROR] and gone["status"] == "404"
    assert User.objects.filter(pk=grace_id).exists()  # history kept

    okta.call("DELETE", f"/Groups/{group_id}", expect=204)
    assert not Team.objects.filter(pk=group_id).exists()

    # Without a valid token, nothing.
    anonymous = requests.get(f"{base}/Users", timeout=30)
    assert anonymous.status_code == 401 and anonymous.json()["schemas"] == [ERROR]
