"""Smoke journey: proves the browser harness (Chromium, live server, static files, login, screenshots)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.demo.data import DEMO_PASSWORD, MENTOR_EMAIL
from openhelp.demo.services import seed_demo
from tests.harness.browser import log_in

pytestmark = pytest.mark.browser


# The suite drives the headless shell; the same journey in the full browser shows the two agree on what
# matters here (tests/harness/browser.py).
@pytest.mark.parametrize("engine", ["page", "full_browser_page"], ids=["headless-shell", "full-browser"])
def test_it_logs_a_seeded_person_in_and_shows_the_directory(engine, live_server, shot, request):
    page = request.getfixturevalue(engine)
    seed_demo(people=30, seed=11)

    page.goto("/")
    assert page.locator("h1").first.is_visible()
    # Static files are served by the live server: a page without its CSS would still "work".
    rules = page.evaluate("[...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0)")
    assert rules > 10
    shot(page, "home")

    log_in(page, email=MENTOR_EMAIL, password=DEMO_PASSWORD)
    page.locator(".user-menu > summary").click()  # the user menu in the header
    assert page.get_by_role("button", name="Log out").is_visible()
    shot(page, "logged-in")

    page.goto(reverse("people:directory"))
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert page.get_by_text("Priya Raman").first.is_visible()
    shot(page, "directory")
