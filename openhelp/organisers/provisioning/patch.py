"""PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: the endpoint then saves the result as it would a
PUT, so both share one validation and one workflow.

What identity providers really send is accepted: ``"op": "Replace"`` capitalised (Entra ID), operations
without a path whose value is an object of attributes (``{"active": false}``, ``{"name.givenName": …}``,
extension attributes by their full URN), ``members[value eq "…"]`` filters (Okta) and ``members`` with a
list of values to remove (Entra ID)."""

from __future__ import annotations

import copy
import re
from typing import Any

from openhelp.organisers.provisioning import filters
from openhelp.organisers.provisioning.scim import (
    ENTERPRISE_SCHEMA,
    GROUP_SCHEMA,
    PATCH_SCHEMA,
    USER_SCHEMA,
    ScimError,
)

PATH = re.compile(r"^(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>.*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$")
CANONICAL = {
    name.lower(): name
    for name in (
        "userName externalId name displayName title active emails members timezone department manager "
        "givenName familyName formatted value display primary type"
    ).split()
}
MULTI_VALUED = {"emails", "members", "phoneNumbers", "addresses", "groups", "roles"}


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def apply_patch(document: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with the body's ``Operations`` applied, in order."""
    schemas = body.get("schemas") or [PATCH_SCHEMA]
    if PATCH_SCHEMA not in schemas:
        raise ScimError(400, f"A PATCH body names the schema {PATCH_SCHEMA}.", "invalidSyntax")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH body has a non-empty Operations list.", "invalidSyntax")
    result = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation is an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown operation “{operation.get('op')}”.", "invalidSyntax")
        path = operation.get("path")
        value = operation.get("value")
        if path:
            _apply(result, op, str(path), value)
        elif op == "remove":
            raise ScimError(400, "A remove operation needs a path.", "noTarget")
        elif isinstance(value, dict):
            _apply_object(result, op, value)
        else:
            raise ScimError(
                400, "An operation without a path carries an object of attributes.", "invalidValue"
            )
    return result


def _apply_object(document: dict[str, Any], op: str, value: dict[str, Any]) -> None:
    for key, item in value.items():
        if key.lower() == ENTERPRISE_SCHEMA.lower() and isinstance(item, dict):
            for inner, inner_value in item.items():
                _apply(document, op, f"{ENTERPRISE_SCHEMA}:{inner}", inner_value)
        elif key.lower() != "schemas":
            _apply(document, op, key, item)


def _apply(document: dict[str, Any], op: str, path: str, value: Any) -> None:
    container, path = _container(document, path, create=op != "remove")
    if container is None:
        return  # removing from an extension the resource does not have: nothing to do
    match = PATH.match(path)
    if not match:
        raise invalid_path(f"Cannot read the path “{path}”.")
    attr, sub = _key(container, match["attr"]), match["sub"]
    if match["filter"] is not None:
        _apply_filtered(container, op, attr, filters.parse(match["filter"]), sub, value)
    elif sub:
        inner = container.get(attr)
        if isinstance(inner, list):  # "emails.value": the primary (or first) element
            inner = next(
                (i for i in inner if isinstance(i, dict) and i.get("primary")), inner[0] if inner else None
            )
        if inner is None or not isinstance(inner, dict):
            if op == "remove":
                return
            inner = container[attr] = {}
        _set(inner, op, _key(inner, sub), value)
    else:
        _set(container, op, attr, value)


def _container(document: dict[str, Any], path: str, *, create: bool) -> tuple[dict[str, Any] | None, str]:
    lowered = path.lower()
    for schema in (USER_SCHEMA, GROUP_SCHEMA):
        if lowered.startswith(schema.lower() + ":"):
            return document, path[len(schema) + 1 :]
    if lowered.startswith(ENTERPRISE_SCHEMA.lower() + ":"):
        extension = document.get(ENTERPRISE_SCHEMA)
        if extension is None:
            if not create:
                return None, path
            extension = document[ENTERPRISE_SCHEMA] = {}
        return extension, path[len(ENTERPRISE_SCHEMA) + 1 :]
    if lowered.startswith("urn:"):
        raise invalid_path(f"The schema of “{path}” is not supported.")
    return document, path


def _set(container: dict[str, Any], op: str, attr: str, value: Any) -> None:
    current = container.get(attr)
    multi = attr in MULTI_VALUED or isinstance(current, list)
    if op == "remove":
        if multi and isinstance(value, list) and isinstance(current, list):
            gone = {_identity(item) for item in value}
            container[attr] = [item for item in current if _identity(item) not in gone]
        else:
            container.pop(attr, None)
    elif op == "add" and multi:
        items = value if isinstance(value, list) else [value]
        existing = list(current or [])
        known = {_identity(item) for item in existing}
        existing += [item for item in items if _identity(item) not in known]
        container[attr] = existing
    elif op == "add" and isinstance(current, dict) and isinstance(value, dict):
        current.update(value)
    else:
        container[attr] = value


def _apply_filtered(
    container: dict[str, Any], op: str, attr: str, condition: filters.Filter, sub: str | None, value: Any
) -> None:
    items = container.get(attr) or []
    if not isinstance(items, list):
        raise invalid_path(f"“{attr}” is not multi-valued.")
    chosen = [item for item in items if filters.matches(condition, item)]
    if op == "remove":
        if sub:
            for item in chosen:
                item.pop(_key(item, sub), None)
        else:
            container[attr] = [item for item in items if not any(item is c for c in chosen)]
        return
    if not chosen:
        # Nothing matches: make the element the filter describes (``emails[type eq "work"].value``).
        if not isinstance(condition, filters.Compare) or condition.operator != "eq":
            raise ScimError(400, f"No “{attr}” matches the filter.", "noTarget")
        item = {_key({}, condition.attribute): condition.value}
        items.append(item)
        container[attr] = items
        chosen = [item]
    for item in chosen:
        if sub:
            item[_key(item, sub)] = value
        elif isinstance(value, dict):
            item.update(value)


def _key(container: dict[str, Any], name: str) -> str:
    """The key already used for ``name`` (attribute names are case-insensitive), else its usual spelling."""
    lowered = name.lower()
    for key in container:
        if key.lower() == lowered:
            return key
    return CANONICAL.get(lowered, name)


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        found = next((v for k, v in item.items() if k.lower() == "value"), None)
        return str(found) if found is not None else repr(sorted(item.items()))
    return str(item)
