"""SCIM filters (RFC 7644 §3.4.2.2): parsed into a small tree, then turned into a Django ``Q`` for a list
endpoint or tested against a JSON object for a PATCH path such as ``emails[type eq "work"]``.

Supported: ``eq ne co sw ew pr``, ``and``, ``or``, ``not (…)`` and parentheses. ``gt ge lt le`` and
attributes a resource type does not map answer 400 invalidFilter, as the RFC asks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from openhelp.organisers.provisioning.scim import GROUP_SCHEMA, USER_SCHEMA, ScimError

OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<paren>[()])|(?P<word>[^\s()"]+))',
)


@dataclass(frozen=True)
class Compare:
    attribute: str  # lower case, without the core schema's URN
    operator: str
    value: Any


@dataclass(frozen=True)
class Present:
    attribute: str


@dataclass(frozen=True)
class Logical:
    operator: str  # "and" or "or"
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Not:
    inner: Filter


Filter = Compare | Present | Logical | Not


def invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def _tokens(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise invalid(f"Cannot read the filter near “{text[position : position + 20]}”.")
        position = match.end()
        if match["string"] is not None:
            tokens.append(("string", _unquote(match["string"])))
        elif match["paren"] is not None:
            tokens.append(("paren", match["paren"]))
        else:
            tokens.append(("word", match["word"]))
    return tokens


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise invalid("The filter ends too early.")
        self.position += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() == word:
            self.position += 1
            return True
        return False

    def expression(self) -> Filter:
        node = self.term()
        while self.keyword("or"):
            node = Logical("or", node, self.term())
        return node

    def term(self) -> Filter:
        node = self.factor()
        while self.keyword("and"):
            node = Logical("and", node, self.factor())
        return node

    def factor(self) -> Filter:
        if self.keyword("not"):
            return Not(self.group())
        token = self.peek()
        if token == ("paren", "("):
            return self.group()
        kind, attribute = self.take()
        if kind != "word":
            raise invalid("Expected an attribute name.")
        kind, operator = self.take()
        operator = str(operator).lower()
        if kind != "word" or (operator not in OPERATORS and operator != "pr"):
            raise invalid(f"Unknown operator “{operator}”.")
        if operator == "pr":
            return Present(normalise(attribute))
        return Compare(normalise(attribute), operator, self.value())

    def group(self) -> Filter:
        if self.take() != ("paren", "("):
            raise invalid("Expected “(”.")
        node = self.expression()
        if self.take() != ("paren", ")"):
            raise invalid("Expected “)”.")
        return node

    def value(self) -> Any:
        kind, raw = self.take()
        if kind == "string":
            return raw
        if kind != "word":
            raise invalid("Expected a value.")
        lowered = raw.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        try:
            return float(raw) if "." in raw else int(raw)
        except ValueError:
            raise invalid(f"Values are quoted strings, numbers, true, false or null, not “{raw}”.") from None


def parse(text: str) -> Filter:
    parser = _Parser(text)
    if not parser.tokens:
        raise invalid("The filter is empty.")
    node = parser.expression()
    if parser.peek() is not None:
        raise invalid(f"Unexpected “{parser.peek()[1]}” in the filter.")  # type: ignore[index]
    return node


def normalise(attribute: str) -> str:
    """Lower case, the core schema's URN dropped (``urn:…:core:2.0:User:userName`` → ``username``)."""
    lowered = attribute.lower()
    for schema in (USER_SCHEMA, GROUP_SCHEMA):
        prefix = schema.lower() + ":"
        if lowered.startswith(prefix):
            return lowered[len(prefix) :]
    return lowered


# --- Into SQL ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """Where a SCIM attribute lives: a lookup path, whether text compares case-insensitively, and its type."""

    path: str
    case_insensitive: bool = True
    kind: str = "text"  # "text", "int" or "bool"


USER_FIELDS = {
    "id": Field("pk", kind="int"),
    "username": Field("email"),
    "externalid": Field("scim__external_id", case_insensitive=False),
    "emails": Field("email"),
    "emails.value": Field("email"),
    "displayname": Field("profile__display_name"),
    "name.givenname": Field("scim__given_name"),
    "name.familyname": Field("scim__family_name"),
    "name.formatted": Field("profile__display_name"),
    "title": Field("profile__headline"),
    "active": Field("is_active", kind="bool"),
}
GROUP_FIELDS = {
    "id": Field("pk", kind="int"),
    "displayname": Field("name"),
    "externalid": Field("scim__external_id", case_insensitive=False),
    "members": Field("profiles__user_id", kind="int"),
    "members.value": Field("profiles__user_id", kind="int"),
}
TEXT_LOOKUPS = {"eq": "exact", "co": "contains", "sw": "startswith", "ew": "endswith"}


def to_q(node: Filter, fields: dict[str, Field]) -> Q:
    if isinstance(node, Logical):
        left, right = to_q(node.left, fields), to_q(node.right, fields)
        return left & right if node.operator == "and" else left | right
    if isinstance(node, Not):
        return ~to_q(node.inner, fields)
    field = fields.get(node.attribute)
    if field is None:
        raise invalid(f"Filtering on “{node.attribute}” is not supported.")
    if isinstance(node, Present):
        empty = Q(**{f"{field.path}__isnull": True})
        return ~empty & ~Q(**{field.path: ""}) if field.kind == "text" else ~empty
    return _compare(node, field)


def _compare(node: Compare, field: Field) -> Q:
    operator = node.operator
    if operator == "ne":
        return ~_compare(Compare(node.attribute, "eq", node.value), field)
    if operator not in TEXT_LOOKUPS:
        raise invalid(f"The operator “{operator}” is not supported.")
    if node.value is None:
        return Q(**{f"{field.path}__isnull": True})
    if field.kind != "text":
        if operator != "eq":
            raise invalid(f"“{node.attribute}” can only be compared with eq.")
        value = _typed(node.value, field.kind)
        return Q(**{field.path: value}) if value is not None else Q(pk__in=[])
    lookup = TEXT_LOOKUPS[operator]
    lookup = "i" + lookup if field.case_insensitive else lookup
    return Q(**{f"{field.path}__{lookup}": str(node.value)})


def _typed(value: Any, kind: str) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise invalid("Compare a true/false attribute with true or false.")
    try:
        return int(value)
    except (TypeError, ValueError):
        return None  # an id that cannot be ours matches nothing


# --- Against JSON (PATCH paths) ------------------------------------------------------------------------


def matches(node: Filter, item: Any) -> bool:
    """Whether one element of a multi-valued attribute (``{"type": "work", "value": …}``) matches."""
    if isinstance(node, Logical):
        left, right = matches(node.left, item), matches(node.right, item)
        return (left and right) if node.operator == "and" else (left or right)
    if isinstance(node, Not):
        return not matches(node.inner, item)
    value = _get(item, node.attribute)
    if isinstance(node, Present):
        return value not in (None, "", [])
    if node.operator == "ne":
        return not matches(Compare(node.attribute, "eq", node.value), item)
    if node.operator not in TEXT_LOOKUPS:
        raise invalid(f"The operator “{node.operator}” is not supported.")
    if isinstance(value, bool) or isinstance(node.value, bool) or value is None or node.value is None:
        return value == node.value
    have, want = str(value).casefold(), str(node.value).casefold()
    return {
        "eq": have == want,
        "co": want in have,
        "sw": have.startswith(want),
        "ew": have.endswith(want),
    }[node.operator]


def _get(item: Any, attribute: str) -> Any:
    if not isinstance(item, dict):
        return item if attribute == "value" else None
    for key, value in item.items():
        if key.lower() == attribute:
            return value
    return None
