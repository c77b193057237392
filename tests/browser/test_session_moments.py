"""The session page at its moments in real Chromium, on a phone, light and dark: before (when the call link
opens), during (join and timer first), after (debrief, kudos, "Want more?"): no sideways scroll, axe clean."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from openhelp.platform.lib.clock import now
from tests.factories import SkillFactory
from tests.factories_accounts import verify
from tests.factories_mentoring import SessionFactory, person
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SERIOUS = ("serious", "critical")

# Where the session starts, from the browser's (real) now, and what the page must then show and hide.
MOMENTS = {
    "before": (
        dt.timedelta(hours=3),
        "The call link opens at",
        ("Join the call", "Give kudos", "Want more?"),
    ),
    "during": (
        dt.timedelta(minutes=-5),
        "Join the call",
        ("The call link opens at", "Want more?"),
    ),
    "after": (dt.timedelta(hours=-3), "Want more?", ("Join the call", "Start the timer", "Reset the timer")),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_the_session_page_fits_each_moment_on_a_phone(
    page, browser_context, live_server, shot, moment, scheme
):
    offset, shown, hidden = MOMENTS[moment]
    mentee, mentor = person("Nico Mentee"), person("Mira Mentor")
    verify(mentee)
    start = now() + offset
    session = SessionFactory(
        mentee=mentee,
        mentor=mentor,
        skills=[SkillFactory(name="A/B testing", slug="ab-testing")],
        title="Read my A/B test",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("mentoring:detail", args=[session.pk]))

    assert page.get_by_text(shown).first.is_visible()
    text = page.locator("main").inner_text()
    assert not [words for words in hidden if words in text]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert violations == []
    shot(page, f"session-{moment}-phone-{scheme}")
