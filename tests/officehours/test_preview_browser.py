"""The office-hours editor's live preview in real Chromium: an answer that arrives late never replaces the
preview of what the mentor typed since (a busy server can answer two preview requests out of order)."""

from __future__ import annotations

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.factories_accounts import verified_user
from tests.harness.browser import sign_in
from tests.officehours.editor_steps import open_all_week

pytestmark = pytest.mark.browser


def test_a_late_preview_answer_does_not_replace_the_newest(browser_context, live_server):
    mentor = verified_user("mira@example.org", display_name="Mira Mentor", timezone="Europe/Berlin")
    page = browser_context.new_page()
    sign_in(browser_context, live_server, mentor)
    held = []

    def hold_the_first(route):
        if not held:
            held.append(route)  # answered only at the end, after the newer request's answer
        else:
            route.continue_()

    open_all_week(page, "Postgres clinic")
    page.get_by_label("Minimum notice (hours)").fill("0")
    page.wait_for_load_state("networkidle")  # the previews of the typing above have come back

    page.route(f"**{reverse('officehours:block-preview')}?**", hold_the_first)
    with page.expect_request(lambda request: "/preview/" in request.url):
        page.get_by_label("Title").fill("Postgres clinic (late)")  # request 1: held
    page.get_by_label("Also show the preview in").select_option("America/New_York")  # request 2: answered
    preview = page.locator("#oh-preview")
    preview.get_by_text("In America/New_York").first.wait_for()
    assert held, "the first preview request was made and held"

    stale = held[0]
    # The page may have cancelled it already (AbortController): then Playwright has nothing to answer.
    with contextlib.suppress(PlaywrightError):
        stale.fulfill(response=stale.fetch())
    page.wait_for_load_state("networkidle")
    assert preview.get_by_text("In America/New_York").count() >= 1
