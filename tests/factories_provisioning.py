"""Builders for provisioning tests: a SCIM token and a client that speaks SCIM with it."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from openhelp.organisers.provisioning import tokens
from openhelp.organisers.provisioning.models import ScimToken
from tests.factories import UserFactory

SCIM = "application/scim+json"


def make_scim_token(name: str = "Okta", *, created_by=None) -> tuple[ScimToken, str]:
    """A token made by ``created_by``, by default a new site administrator (only theirs work)."""
    maker = created_by or UserFactory(is_organiser=True, is_staff=True, is_superuser=True)
    return tokens.create_token(name=name, created_by=maker)


class ScimClient:
    """Django's test client with the bearer token and SCIM's content type on every request."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def _send(self, method: str, path: str, body: Any = None, **params: Any):
        url = "/scim/v2/" + path.lstrip("/")
        call = getattr(self.client, method)
        if method in ("get", "delete"):
            return call(url, params or None, headers=self.headers)
        return call(url, json.dumps(body), content_type=SCIM, headers=self.headers)

    def get(self, path: str, **params: Any):
        return self._send("get", path, **params)

    def post(self, path: str, body: Any):
        return self._send("post", path, body)

    def put(self, path: str, body: Any):
        return self._send("put", path, body)

    def patch(self, path: str, body: Any):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self._send("delete", path)


def user_body(user_name: str, *, given: str = "Ada", family: str = "Lovelace", **extra: Any) -> dict:
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        "active": True,
    }
    body.update(extra)
    return body


def patch_body(*operations: dict) -> dict:
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(operations)}
