"""``{% load icons %}``: the heroicons tags (``heroicon_outline`` …), each icon rendered once per process.

The heroicons library copies and re-serialises the icon's SVG tree on every use (about 60 µs each, 30–55
icons a page). An icon is a pure function of its style, name, size and attributes, so the rendered
markup is kept (``functools.lru_cache``); templates use the same tags with ``{% load icons %}``.
"""

from __future__ import annotations

import functools

import heroicons
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

Attributes = tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=2048)
def _rendered(style: str, name: str, size: int | None, attrs: Attributes) -> SafeString:
    return mark_safe(heroicons._render_icon(style, name, size, dict(attrs)))  # noqa: S308 - the library's own SVG


def _icon(style: str, name: str, size: int | None, attrs: dict[str, object]) -> SafeString:
    # Attribute values are plain strings here: the library escapes them when it serialises the SVG
    # (a SafeString from the template is turned back into str, as heroicons' own tag does).
    plain = tuple(sorted((key, str(value) + "") for key, value in attrs.items()))
    return _rendered(style, str(name), size, plain)


@register.simple_tag
def heroicon_micro(name: str, *, size: int | None = 16, **attrs: object) -> SafeString:
    return _icon("micro", name, size, attrs)


@register.simple_tag
def heroicon_mini(name: str, *, size: int | None = 20, **attrs: object) -> SafeString:
    return _icon("mini", name, size, attrs)


@register.simple_tag
def heroicon_outline(name: str, *, size: int | None = 24, **attrs: object) -> SafeString:
    return _icon("outline", name, size, attrs)


@register.simple_tag
def heroicon_solid(name: str, *, size: int | None = 24, **attrs: object) -> SafeString:
    return _icon("solid", name, size, attrs)
