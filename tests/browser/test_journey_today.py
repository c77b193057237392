"""Today in real Chromium, on a desktop and a phone: the demo mentor accepts an offer from the home page
without a reload (htmx), sees the card answered and the ask move to "Helping now"; nothing scrolls
sideways; opening "Decline" keeps "Accept" level with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.help.asks.models import AskState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.accounts.models import User
from tests.factories import SkillFactory
from tests.factories_routing import OfferFactory
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport + 1, f"the page is {width} px wide in a {viewport} px window"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_mentor_accepts_an_offer_from_today_without_a_reload(
    page, browser_context, live_server, shot, viewport
):
    seed_demo(people=25, seed=5)
    mentor = User.objects.get(email=data.MENTOR_EMAIL)
    offer = OfferFactory(
        mentor=mentor,
        ask__title="Review my flaky test",
        ask__objective="make the CI green again",
        ask__skills=[SkillFactory(name="Pytest", slug="pytest-today")],
        ask__state=AskState.OFFERED,
    )
    page.set_viewport_size(viewport)
    sign_in(browser_context, live_server, mentor)
    page.goto("/")
    assert page.get_by_role("heading", name="Today", level=1).is_visible()
    card = page.locator(f"#offer-card-{offer.pk}")
    assert card.get_by_text("make the CI green again").is_visible()
    assert card.get_by_text("Why you:").is_visible()
    _no_sideways_scroll(page)
    shot(page, "today")

    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.__stillHere = true")
    card.get_by_role("button", name="Accept").click()
    card.get_by_text("You are helping with this ask").wait_for()
    assert page.evaluate("window.__stillHere") is True
    helping = page.locator("#today-helping")
    helping.get_by_role("link", name="Review my flaky test").first.wait_for()
    # The keyboard focus moved to the answered card, not lost with the button that disappeared.
    # (expect waits: the focus moves when htmx has settled the swap, a moment after the card is in.)
    expect(page.locator(f"#offer-{offer.pk}-title")).to_be_focused()
    _no_sideways_scroll(page)
    shot(page, "accepted")

    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
    assert Offer.objects.filter(mentor=mentor, pk=offer.pk, ask__helper=mentor).exists()


def test_opening_decline_keeps_accept_level_with_it_on_a_desktop(page, browser_context, live_server):
    # The card's buttons sat centred on each other: opening "Decline" dropped "Accept" to the middle of
    # the decline form. The form now hangs under "Decline", with "Accept" level with it.
    mentor = User.objects.get(pk=OfferFactory(ask__state=AskState.OFFERED).mentor_id)
    page.set_viewport_size(DESKTOP)
    sign_in(browser_context, live_server, mentor)
    page.goto("/")

    card = page.locator("[data-offer-card]").first
    card.locator("summary", has_text="Decline").click()
    expect(card.get_by_role("button", name="Decline politely")).to_be_visible()

    accept = card.get_by_role("button", name="Accept").bounding_box()
    decline = card.locator("summary", has_text="Decline").bounding_box()
    assert abs(accept["y"] - decline["y"]) <= 2
