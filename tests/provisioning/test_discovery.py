"""/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_service_provider_config_says_what_is_supported(scim):
    body = scim.get("ServiceProviderConfig").json()
    assert body["patch"]["supported"] is True
    assert body["filter"] == {"supported": True, "maxResults": 200}
    assert body["bulk"]["supported"] is False and body["etag"]["supported"] is False
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types_and_schemas_list_users_groups_and_the_enterprise_extension(scim):
    types = scim.get("ResourceTypes").json()
    assert [t["id"] for t in types["Resources"]] == ["User", "Group"]
    assert types["Resources"][0]["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    assert scim.get("ResourceTypes/Group").json()["endpoint"] == "/Groups"
    schemas = scim.get("Schemas").json()
    assert schemas["totalResults"] == 3
    enterprise = scim.get(f"Schemas/{ENTERPRISE}").json()
    assert [a["name"] for a in enterprise["attributes"]] == ["department", "manager"]
    assert scim.get("Schemas/urn:nothing").status_code == 404


def test_a_method_an_endpoint_does_not_take_is_405_in_scim_form(scim):
    response = scim.delete("ServiceProviderConfig")
    assert response.status_code == 405
    assert response.json()["status"] == "405"
