"""Issue 13, item 1 in real Chromium: the style guide passes axe-core in both themes and on a phone, the
theme switch works with and without JavaScript, the API docs' Swagger theme has enough contrast, and a layout
class beside a component (a card that is a stack) keeps its spacing."""

from __future__ import annotations

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.harness.browser import API_DOCS_DRAWN_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SERIOUS = ("serious", "critical")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_passes_axe_on_the_style_guide_in_both_colour_schemes(page, live_server, shot, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("core:style"))

    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == scheme
    assert serious_violations(page) == []
    shot(page, f"style-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_never_scrolls_the_style_guide_sideways_on_a_phone(page, live_server, shot, scheme):
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("core:style"))

    assert sideways_overflow(page) <= 0
    assert serious_violations(page) == []
    shot(page, f"style-phone-{scheme}")


STACK_GAP_PX = 16  # --space-4, the gap of .stack


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_a_card_that_is_a_stack_spaces_its_children_as_a_stack_does(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(reverse("core:style"))

    children = page.locator("#sg-card-stack > *")
    boxes = [children.nth(i).bounding_box() for i in range(children.count())]

    assert len(boxes) >= 2
    gaps = [round(below["y"] - (above["y"] + above["height"])) for above, below in itertools.pairwise(boxes)]
    assert gaps == [STACK_GAP_PX] * len(gaps), f"gaps between the children of .card.stack: {gaps}"


def test_a_message_in_the_page_keeps_a_link_and_a_time_in_its_sentence(page, live_server):
    """A ``.message`` paragraph is one flow of text: on a phone its sentence wraps onto several lines, and
    the time near its end sits below the first line (as a flex item it stood in a column of its own, on the
    first line, beside the words)."""
    page.set_viewport_size(PHONE)
    page.goto(reverse("core:style"))

    message = page.locator("#sg-message-inline")
    assert message.evaluate("element => getComputedStyle(element).display") == "block"
    first_line_top = message.evaluate(
        "element => { const range = document.createRange(); range.selectNodeContents(element);"
        " return range.getClientRects()[0].top; }"
    )
    time_box = message.locator("time").bounding_box()
    assert time_box is not None
    assert time_box["y"] > first_line_top + 1, "the time stands beside the first line, not in the sentence"


def test_it_switches_the_theme_at_once_and_remembers_it(page, live_server, browser_context):
    page.emulate_media(color_scheme="light")
    page.goto(reverse("core:style"))
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)

    page.get_by_role("button", name="Dark").first.click()

    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) != light
    assert page.get_by_role("button", name="Dark").first.get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('theme')") == "dark"
    assert {"name": "theme", "value": "dark"}.items() <= _cookie(browser_context, "theme").items()
    assert page.url.endswith(reverse("core:style"))  # no round trip

    page.reload()  # the server renders the choice: no flash of the light theme
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"

    page.get_by_role("button", name="System").first.click()

    assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    assert page.evaluate(background) == light
    assert _cookie(browser_context, "theme") is None


def test_it_switches_the_theme_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reverse("core:style") + "?from=test")

        page.get_by_role("button", name="Dark").first.click()
        page.wait_for_load_state()

        # Back to the same page; its query string is not echoed into the form (it may hold a search).
        assert page.url.endswith(reverse("core:style"))
        assert page.locator("html").get_attribute("data-theme") == "dark"
        assert page.get_by_role("button", name="Dark").first.get_attribute("aria-pressed") == "true"
    finally:
        context.close()


def test_it_gives_the_api_docs_enough_contrast_for_axe(page, live_server, shot):
    page.goto(reverse("api-docs"))
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=API_DOCS_DRAWN_MS)
    page.locator(".swagger-ui .opblock-summary").first.click()  # an open operation has the most colours
    page.locator(".swagger-ui .opblock-body").first.wait_for()
    # static/js/scroll_regions.js makes a code sample that overflows focusable 150 ms after Swagger UI
    # draws it; axe run before that finds the sample not yet reachable from the keyboard.
    _wait_until(page, CODE_SAMPLES_REACHABLE)

    assert serious_violations(page) == []
    shot(page, "api-docs")


CODE_SAMPLES_REACHABLE = """() => [...document.querySelectorAll('.swagger-ui pre')].every((box) =>
  box.hasAttribute('tabindex') ||
  (box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1))"""


def _wait_until(page, condition: str, seconds: float = 10.0) -> None:
    """Poll a condition in the page (``wait_for_function`` compiles its text with eval, which the CSP
    forbids; ``evaluate`` does not)."""
    for _ in range(int(seconds / 0.05)):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {condition}")


def _cookie(context, name: str) -> dict | None:
    return next((cookie for cookie in context.cookies() if cookie["name"] == name), None)
