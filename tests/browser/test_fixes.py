"""In a real browser: an ask thread with a code block stays inside a phone's width; notifications are
marked read in place (htmx) and the header's count follows, with no reload and nothing the CSP blocks; on a
phone a notification's text keeps its card's width, a matched skill its name whole and a chart its labels
readable."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openhelp.help.asks.models import AskState
from openhelp.organisers.insights.charts import bar_chart
from tests.factories import (
    NotificationFactory,
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillFactory,
    SkillOfferFactory,
    UserFactory,
)
from tests.factories_asks import MessageFactory, ask_in_state
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

COLUMNS = ", ".join(f"column_{i}" for i in range(40))
CODE = f"Here is the query:\n\n```sql\nselect {COLUMNS} from t;\n```"  # noqa: S608 - text, not a query


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_thread_with_a_code_block_does_not_scroll_sideways_on_a_phone(
    page, browser_context, live_server, shot
):
    mentee = UserFactory(with_profile=False)
    ProfileFactory(user=mentee, display_name="Sam Mentee")
    helper = UserFactory(with_profile=False)
    OpenToHelpProfileFactory(user=helper, display_name="Hana Helper")
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    MessageFactory(
        ask=ask, author=helper, body=CODE + "\n\nAnd a long link: https://example.org/" + "x" * 120
    )
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("asks:detail", args=[ask.pk]))

    assert page.locator(".message-body pre code").first.is_visible()
    assert _scroll_width(page) <= 390
    shot(page, "thread-390")


def test_marking_notifications_read_updates_the_page_in_place(page, browser_context, live_server, shot):
    user = UserFactory(with_profile=False)
    ProfileFactory(user=user, display_name="Nora Notified")
    for i in range(3):
        NotificationFactory(recipient=user, event="account.welcome", title=f"Note {i}", body=f"**Bold** {i}")
    sign_in(browser_context, live_server, user)
    page.goto(reverse("notifications:list"))
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    assert page.locator("[data-unread-count]").first.inner_text() == "3"
    assert page.get_by_text("Bold 0").first.is_visible()  # a preview, not "**Bold**"

    page.get_by_role("button", name=re.compile(r"Mark as read\W+Note 2")).click()

    page.get_by_text("2 unread.").wait_for()
    expect(page.locator(".notification.unread")).to_have_count(2)
    assert page.locator("[data-unread-count]").first.inner_text() == "2"
    assert page.locator("[data-bell]").get_attribute("aria-label") == "Notifications, 2 unread"
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("You are all caught up.").wait_for()
    # The count arrives with the response (HX-Trigger, before the swap); the list with the swap after it.
    expect(page.locator(".notification.unread")).to_have_count(0)
    assert page.locator("[data-bell]").get_attribute("aria-label") == "Notifications, 0 unread"
    assert page.evaluate("window.__sameDocument === true")
    shot(page, "all-read")


def test_a_notification_keeps_the_width_of_its_card_for_its_text_on_a_phone(
    page, browser_context, live_server
):
    # "Mark as read" beside the text squeezed it into a narrow column; on a phone it now goes under it.
    user = UserFactory(with_profile=False)
    ProfileFactory(user=user, display_name="Nora Notified")
    NotificationFactory(
        recipient=user, event="account.welcome", title="Welcome", body="Tell people what you can help with."
    )
    sign_in(browser_context, live_server, user)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("notifications:list"))

    card = page.locator(".notification").first.bounding_box()
    text = page.locator(".notification-main").first.bounding_box()
    button = page.get_by_role("button", name=re.compile("^Mark as read")).first.bounding_box()
    assert text["width"] >= card["width"] * 0.8
    assert button["y"] >= text["y"] + text["height"] - 1


@pytest.mark.parametrize("width", [1280, 390])
def test_a_matched_skill_keeps_its_name_whole_on_a_person_card(page, browser_context, live_server, width):
    # The matched chip ("PostgreSQL · level 4, can teach it in depth") was a flex box: its name was the
    # item that gave way, and broke into "PostgreS / QL".
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    expert = UserFactory(with_profile=False)
    OpenToHelpProfileFactory(user=expert, display_name="Emma Expert", headline="Staff engineer · Platform")
    SkillOfferFactory(profile=expert.profile, skill=postgres, level=4)
    viewer = UserFactory(with_profile=False)
    ProfileFactory(user=viewer, display_name="Sam Searcher")
    sign_in(browser_context, live_server, viewer)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(reverse("people:directory") + "?skill=PostgreSQL")

    chip = page.locator(".matched-skills .chip").first
    expect(chip).to_contain_text("level 4")
    name_lines = chip.evaluate(
        """chip => { const range = document.createRange(); range.selectNodeContents(chip.firstChild);
                     return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; }"""
    )
    assert name_lines == 1


@pytest.mark.parametrize("width", [390, 1280])
def test_an_insights_chart_keeps_readable_labels_on_a_phone_and_the_page_its_width(page, live_server, width):
    # Drawn 640 units wide and shrunk to a phone, a chart's 12-unit labels were 6 px. On a phone it now
    # keeps them near 10 px and scrolls inside its own box; on a desktop it still fills its card.
    chart = bar_chart([("Observability", 1.75), ("Computer vision", 0.08)], title="Asks per week")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("core:home"))
    page.locator("main").evaluate("(main, chart) => main.insertAdjacentHTML('beforeend', chart)", str(chart))

    label = page.locator("svg.chart text").first.bounding_box()
    box = page.locator(".chart-scroll").bounding_box()
    assert label["height"] >= 10
    assert _scroll_width(page) <= width
    assert box["width"] <= width
