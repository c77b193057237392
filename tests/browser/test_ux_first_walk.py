"""In a real browser, what a new person's first walk found out of line: on a phone, "Choose another time"
pressed against the booking button and wrapped under it; on a booking's page, the title pushed to the
middle of the line between its eyebrow and its state, and "All my sessions" against the Cancel button; on a
desktop, "Log in" and "Sign up" beside the logo, as if they were the navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser


def _gap(left: dict, right: dict) -> float:
    return right["x"] - (left["x"] + left["width"])


def test_the_booking_button_and_choose_another_time_keep_apart_on_a_phone(page, browser_context, live_server):
    block = OfficeHoursFactory()
    sign_in(browser_context, live_server, make_mentee())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("officehours:book", args=[block.pk, first_slot(block).key]))

    button = page.get_by_role("button", name="Confirm the booking").bounding_box()
    link = page.get_by_role("link", name="Choose another time")
    line_height = float(link.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)"))
    assert len(link.evaluate("a => [...a.getClientRects()].map(r => r.top)")) == 1, "the link is on one line"
    box = link.bounding_box()
    assert box["height"] <= line_height + 1
    beside = (
        _gap(button, box) >= 8
        and abs(box["y"] + box["height"] / 2 - (button["y"] + button["height"] / 2)) < 8
    )
    below = box["y"] >= button["y"] + button["height"] + 8
    assert beside or below, f"the link touches the button: {button} {box}"


def test_a_bookings_page_reads_from_the_top_left(page, browser_context, live_server):
    block = OfficeHoursFactory()
    mentee = make_mentee()
    booking = book(block, mentee, topic="Deep learning for churn")
    sign_in(browser_context, live_server, mentee)

    page.goto(reverse("officehours:booking", args=[booking.pk]))  # 1280 px wide

    eyebrow = page.get_by_text("Office hours · you booked").bounding_box()
    title = page.get_by_role("heading", level=1, name="Deep learning for churn").bounding_box()
    assert round(title["x"]) == round(eyebrow["x"]), "the title starts where its eyebrow does"
    assert title["y"] >= eyebrow["y"] + eyebrow["height"], "and sits under it"
    cancel = page.get_by_role("link", name="Cancel", exact=True).bounding_box()
    mine = page.get_by_role("link", name="All my sessions").bounding_box()
    assert _gap(cancel, mine) >= 8, "the last link keeps the row's gap from the Cancel button"


@pytest.mark.parametrize("width", [390, 1280])
def test_log_in_and_sign_up_sit_at_the_end_of_the_bar(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(live_server.url + reverse("core:home"))

    header = page.locator(".app-header-inner").bounding_box()
    sign_up = page.locator(".app-header").get_by_role("link", name="Sign up").bounding_box()
    brand = page.locator(".app-header .brand").bounding_box()
    right_padding = header["x"] + header["width"] - (sign_up["x"] + sign_up["width"])
    assert right_padding <= 32, f"Sign up ends {right_padding} px before the bar does"
    assert sign_up["x"] > brand["x"] + brand["width"] + 16


def test_the_availability_heading_has_room_under_it(page, browser_context, live_server):
    sign_in(browser_context, live_server, make_mentee())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("people:open-to-help"))

    heading = page.get_by_role("heading", name="Availability").bounding_box()
    switch = page.locator(".oth-switch").bounding_box()
    formats = page.locator(".format-chips").bounding_box()
    assert switch["y"] - (heading["y"] + heading["height"]) >= 12, "the first tick box touched the heading"
    assert formats["y"] - (switch["y"] + switch["height"]) >= 12
