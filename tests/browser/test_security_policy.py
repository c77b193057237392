"""Issue 11, item 5: the pages work under the Content-Security-Policy, and the harness notices when not.

Every browser journey fails on a policy violation (tests/harness/browser.py); these tests cover what no
journey visits — the API docs page and the avatars' own colours — and prove the harness really reports a
blocked script.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.harness.browser import API_DOCS_DRAWN_MS, sign_in

pytestmark = pytest.mark.browser


def test_it_reports_an_inline_script_that_the_policy_blocks(
    page, browser_context, live_server, policy_problems
):
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("() => window.__policyViolations > 0")
    assert page.evaluate("window.injected") is None
    assert any("script-src" in problem for problem in policy_problems), policy_problems
    policy_problems.clear()  # seen: the page fixture would otherwise fail this test on it


def test_it_shows_the_api_docs_under_the_policy(page, browser_context, live_server, shot):
    sign_in(browser_context, live_server, UserFactory())

    page.goto(reverse("api-docs"))

    # Swagger UI's own start-up script (nonce) ran, fetched the schema and drew the operations.
    page.locator(".opblock").first.wait_for(timeout=API_DOCS_DRAWN_MS)
    assert page.get_by_role("heading", name="Open to Help API").first.is_visible()
    assert page.locator(".opblock").count() > 10
    shot(page, "api-docs")


def test_it_paints_each_avatar_in_its_own_colour_without_inline_styles(page, browser_context, live_server):
    person = UserFactory(with_profile__display_name="Ada Lovelace", with_profile__avatar_colour="#1a7f5a")
    sign_in(browser_context, live_server, UserFactory())

    page.goto(reverse("people:detail", args=[person.profile.pk]))

    avatar = page.locator("main .avatar").first  # the header has the viewer's own
    assert avatar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(26, 127, 90)"
