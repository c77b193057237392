"""What the server supports, for identity providers that ask (RFC 7644 §4, RFC 7643 §5–§7): the service
provider configuration, the two resource types and the schemas of the attributes we read and write."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from openhelp.organisers.provisioning.scim import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA

CORE = "urn:ietf:params:scim:schemas:core:2.0:"


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": [CORE + "ServiceProviderConfig"],
        "documentationUri": f"{settings.SITE_URL}/provisioning/",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": settings.SCIM_MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token a site administrator creates on the provisioning page.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/ServiceProviderConfig"},
    }


def resource_types(base: str) -> list[dict[str, Any]]:
    return [
        {
            "schemas": [CORE + "ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person: their account and profile",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": [CORE + "ResourceType"],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A team; a person belongs to one team",
            "schema": GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    ]


def _attribute(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    }
    attribute.update(extra)
    return attribute


def _complex(name: str, parts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return _attribute(name, "complex", subAttributes=parts, **extra)


def schemas(base: str) -> list[dict[str, Any]]:
    user = [
        _attribute("userName", required=True, uniqueness="server", description="The e-mail to log in with"),
        _complex("name", [_attribute("formatted"), _attribute("givenName"), _attribute("familyName")]),
        _attribute("displayName"),
        _attribute("title"),
        _attribute("timezone", description="IANA time zone, e.g. Europe/Berlin"),
        _attribute("active", "boolean"),
        _complex(
            "emails",
            [_attribute("value"), _attribute("type"), _attribute("primary", "boolean")],
            multiValued=True,
        ),
        _attribute("externalId", caseExact=True),
    ]
    group = [
        _attribute("displayName", required=True, uniqueness="server"),
        _complex(
            "members",
            [_attribute("value", mutability="immutable"), _attribute("display", mutability="readOnly")],
            multiValued=True,
        ),
        _attribute("externalId", caseExact=True),
    ]
    enterprise = [
        _attribute("department", description="The team; made when it does not exist yet"),
        _complex("manager", [_attribute("value"), _attribute("displayName", mutability="readOnly")]),
    ]
    found = []
    for urn, name, attributes in (
        (USER_SCHEMA, "User", user),
        (GROUP_SCHEMA, "Group", group),
        (ENTERPRISE_SCHEMA, "EnterpriseUser", enterprise),
    ):
        found.append(
            {
                "schemas": [CORE + "Schema"],
                "id": urn,
                "name": name,
                "attributes": attributes,
                "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"},
            }
        )
    return found
