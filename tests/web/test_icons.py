"""``{% load icons %}`` renders exactly what the heroicons library renders, once per icon and attributes."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from heroicons import IconDoesNotExist
from heroicons.templatetags import heroicons as library_tags

from openhelp.platform.core.templatetags import icons

CASES = [
    ('heroicon_outline "sun" size=16 aria_hidden="true"', "outline", "sun", 16, {"aria_hidden": "true"}),
    ('heroicon_solid "bell" class="a b"', "solid", "bell", 24, {"class": "a b"}),
    ('heroicon_mini "check" size=None', "mini", "check", None, {}),
    ('heroicon_micro "x-mark" stroke_linecap="round"', "micro", "x-mark", 16, {"stroke_linecap": "round"}),
]


@pytest.mark.parametrize(("tag", "style", "name", "size", "attrs"), CASES)
def test_each_tag_renders_what_the_library_renders(tag, style, name, size, attrs):
    html = Template("{% load icons %}{% " + tag + " %}").render(Context())
    assert html == library_tags._render_icon(style, name, size, attrs)
    assert html.startswith("<svg") and 'xmlns="' not in html


def test_attribute_values_from_variables_are_escaped_and_kept_apart():
    template = Template('{% load icons %}{% heroicon_outline "sun" class=css %}')
    quoted = template.render(Context({"css": 'x" onload="alert(1)'}))
    assert 'onload="alert(1)"' not in quoted and "&quot;" in quoted
    plain = template.render(Context({"css": "x"}))
    assert 'class="x"' in plain and plain != quoted


def test_an_icon_is_rendered_once_and_then_reused():
    icons._rendered.cache_clear()
    template = Template(
        '{% load icons %}{% heroicon_outline "moon" size=20 %}{% heroicon_outline "moon" size=20 %}'
    )
    first = template.render(Context())
    info = icons._rendered.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert template.render(Context()) == first
    assert icons._rendered.cache_info().hits == 3


def test_an_unknown_icon_still_fails_loudly():
    with pytest.raises(IconDoesNotExist):
        Template('{% load icons %}{% heroicon_outline "no-such-icon" %}').render(Context())
