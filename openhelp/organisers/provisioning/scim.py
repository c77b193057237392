"""The SCIM 2.0 protocol pieces every endpoint shares (RFC 7643, RFC 7644): schema names, the error
body of §3.12, the list response and its pagination (§3.4.2.4), the content type."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from openhelp.platform.lib import bounded_json
from openhelp.platform.lib.storable_text import unstorable_reason

CONTENT_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
DEFAULT_COUNT = 100
MAX_START_INDEX = 2**31
ALWAYS_RETURNED = frozenset({"id", "schemas", "meta"})


def max_results() -> int:
    return settings.SCIM_MAX_RESULTS


class ScimError(Exception):
    """A request the protocol answers with an error body: ``status`` and, for 400 and 409, ``scim_type``
    (invalidFilter, invalidValue, invalidPath, invalidSyntax, uniqueness, mutability, noTarget…)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def respond(body: dict[str, Any] | None, *, status: int = 200, location: str | None = None) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def error_response(error: ScimError) -> HttpResponse:
    response = respond(error.body(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def read_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object a POST, PUT or PATCH carries (``application/scim+json`` or ``application/json``).

    Read within the API's bounds (``lib.bounded_json``: a 1,000-deep body was a RecursionError) and refused
    when any text holds what the database cannot (``lib.storable_text``: a NUL in a group's displayName was
    a ``DataError``), both as a 400 in SCIM's error body rather than a 500."""
    try:
        body = bounded_json.loads((request.body or b"null").decode())
    except (bounded_json.JSONRejected, UnicodeDecodeError):
        raise ScimError(400, "The request body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a JSON object.", "invalidSyntax")
    if reason := _unstorable_text_in(body):
        raise ScimError(400, reason, "invalidValue")
    return body


def _unstorable_text_in(data: Any) -> str | None:
    if isinstance(data, str):
        return unstorable_reason(data)
    if isinstance(data, dict):
        data = [*data.keys(), *data.values()]
    if isinstance(data, list):
        return next((reason for item in data if (reason := _unstorable_text_in(item))), None)
    return None


def base_url(request: HttpRequest) -> str:
    """The absolute /scim/v2 address, for ``meta.location`` and the page that shows it to paste."""
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ScimError(400, f"{name} must be an integer.", "invalidValue") from None


def page_window(request: HttpRequest) -> tuple[int, int]:
    """``startIndex`` (1-based; below 1 means 1) and ``count`` (negative means 0; capped), per §3.4.2.4."""
    # Past any row there is; capped so the OFFSET stays a bigint (20 digits was a DataError on PostgreSQL).
    start = min(max(1, _int_param(request, "startIndex", 1)), MAX_START_INDEX)
    count = min(max(0, _int_param(request, "count", DEFAULT_COUNT)), max_results())
    return start, count


def list_response(resources: list[dict[str, Any]], *, total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def project(resource: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    """``attributes`` / ``excludedAttributes`` (§3.4.2.5) on top-level names; id, schemas and meta stay."""
    wanted = {a.strip().lower() for a in request.GET.get("attributes", "").split(",") if a.strip()}
    excluded = {a.strip().lower() for a in request.GET.get("excludedAttributes", "").split(",") if a.strip()}
    if not wanted and not excluded:
        return resource

    def keep(key: str) -> bool:
        if key in ALWAYS_RETURNED:
            return True
        return _mentions(wanted, key.lower()) if wanted else key.lower() not in excluded

    return {key: value for key, value in resource.items() if keep(key)}


def _mentions(wanted: set[str], name: str) -> bool:
    return any(w == name or w.startswith(name + ".") or w.startswith(name + ":") for w in wanted)
