"""In a real browser, what a new person's walk found out of size: the inbox's "Pause me until" date stretched
over the whole card (576 px on a desktop) while every other date field of the design system is 12 rem."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories_routing import make_mentor
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_the_inbox_pause_date_is_as_wide_as_a_date_with_its_button_beside_it(
    page, browser_context, live_server, width
):
    sign_in(browser_context, live_server, make_mentor())
    page.set_viewport_size({"width": width, "height": 844})

    page.goto(live_server.url + reverse("people:open-to-help"))
    design_width = page.get_by_label("Pause until").bounding_box()["width"]
    page.goto(live_server.url + reverse("routing:inbox"))

    date = page.get_by_label("Pause me until").bounding_box()
    button = page.get_by_role("button", name="Pause me").bounding_box()
    assert abs(date["width"] - design_width) <= 1, f"{date['width']} px, the design system's {design_width}"
    assert date["width"] <= 12 * 16 + 1
    assert button["x"] >= date["x"] + date["width"], "the button sits beside the date"
    assert abs(button["y"] + button["height"] - (date["y"] + date["height"])) <= 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width
