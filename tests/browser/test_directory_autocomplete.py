"""Issue 11, item 15: with the skill suggestions open, the first click on Search must search.

Closing the list on the input's blur used to shrink the form between the button's mousedown and its
mouseup, so the mouseup landed elsewhere and the browser never fired the click.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories import SkillFactory, UserFactory
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser


def test_it_searches_on_the_first_click_while_the_suggestions_are_open(
    page, browser_context, live_server, shot
):
    for name in ("Python", "Python packaging", "Python typing", "PyTorch", "Pydantic"):
        SkillFactory(name=name)
    sign_in(browser_context, live_server, UserFactory())

    page.goto(reverse("people:directory"))
    search = page.get_by_role("search", name="Find people")
    skill = search.get_by_role("combobox", name="Skill")
    skill.fill("Py")
    suggestions = page.get_by_role("listbox")
    suggestions.get_by_role("option").first.wait_for()
    assert suggestions.is_visible()
    shot(page, "suggestions-open")

    # One real click: mousedown blurs the input (which closes the list), then mouseup, then click.
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(lambda url: "skill=" in url, timeout=5_000)

    assert parse_qs(urlsplit(page.url).query)["skill"] == ["Py"]
    assert skill.input_value() == "Py"
    shot(page, "searched")
