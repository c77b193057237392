"""A small, strict RFC 5545 reader written for the tests, independent of the icalendar library.

It checks what a picky client checks: CRLF line ends, folded lines of at most 75 octets, well-formed
content lines (name, parameters, value), balanced BEGIN/END, and TEXT values that escape exactly
backslash, semicolon, comma and newline. A calendar that passes here and in icalendar parses the same
way in two implementations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

NAME = re.compile(r"^[A-Za-z0-9-]+$")
PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)')
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME"}
TEXT_ESCAPE = re.compile(r"\\(.)")


class StrictError(AssertionError):
    pass


@dataclass
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]

    def one(self, name: str) -> Property:
        found = self.all(name)
        if len(found) != 1:
            raise StrictError(f"{self.name} has {len(found)} {name} properties")
        return found[0]

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found += child.walk(name)
        return found


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    if "\n" in text.replace("\r\n", ""):
        raise StrictError("a line ends with a bare LF or contains a raw newline")
    if not text.endswith("\r\n"):
        raise StrictError("the last line must end with CRLF")
    physical = text[:-2].split("\r\n")
    for line in physical:
        if len(line.encode("utf-8")) > 75:
            raise StrictError(f"a line is longer than 75 octets: {line[:40]}…")
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            if not logical:
                raise StrictError("the first line cannot be a continuation")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def parse_line(line: str) -> Property:
    match = re.match(r"^([A-Za-z0-9-]+)", line)
    if not match:
        raise StrictError(f"bad property name in {line!r}")
    name, rest = match.group(1).upper(), line[match.end() :]
    params: dict[str, str] = {}
    while rest.startswith(";"):
        param = PARAM.match(rest)
        if not param:
            raise StrictError(f"bad parameter in {line!r}")
        params[param.group(1).upper()] = param.group(2).strip('"')
        rest = rest[param.end() :]
    if not rest.startswith(":"):
        raise StrictError(f"no ':' before the value in {line!r}")
    value = rest[1:]
    if name in TEXT_PROPERTIES:
        value = unescape_text(name, value)
    return Property(name, params, value)


def unescape_text(name: str, value: str) -> str:
    if re.search(r"(?<!\\)(?:\\\\)*[;,]", value):
        raise StrictError(f"{name} has an unescaped ';' or ','")

    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char in "nN":
            return "\n"
        if char in "\\;,":
            return char
        raise StrictError(f"{name} has an invalid escape \\{char}")

    return TEXT_ESCAPE.sub(replace, value)


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        prop = parse_line(line)
        if prop.name == "BEGIN":
            component = Component(prop.value.upper())
            if stack:
                stack[-1].children.append(component)
            elif root is not None:
                raise StrictError("more than one top-level component")
            else:
                root = component
            stack.append(component)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.upper():
                raise StrictError(f"END:{prop.value} does not close the open component")
            stack.pop()
        elif not stack:
            raise StrictError("a property outside any component")
        else:
            stack[-1].properties.append(prop)
    if stack or root is None or root.name != "VCALENDAR":
        raise StrictError("the calendar is not one balanced VCALENDAR")
    return root


def date_time(prop: Property) -> dt.datetime:
    """DTSTART/DTEND as an aware datetime: UTC with 'Z', or local time in its TZID."""
    value = prop.value
    if value.endswith("Z"):
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    if "TZID" not in prop.params:
        raise StrictError(f"{prop.name} is a floating time; it must carry a zone")
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(prop.params["TZID"]))
