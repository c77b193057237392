"""In a real browser, what a new person's walk found out of size: the inbox's "Pause me until" date stretched
over the whole card (576 px on a desktop) while every other date field of the design system is 12 rem; on a
booking's page the "History" heading sat against the row of buttons above it; a posted form gave no sign it
was on its way, so a second press went out too; the notification preferences kept their tick boxes beyond a
phone's edge (the row headers, a sentence each, did not wrap)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openhelp.directory.programmes import services as programmes
from tests.factories import UserFactory
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee
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

    page.goto(live_server.url + reverse("officehours:block-new"))  # a number is as short as a date
    assert page.get_by_label("Slot length (minutes)").bounding_box()["width"] <= 12 * 16 + 1


def test_what_follows_a_row_of_actions_keeps_its_distance_on_a_phone(page, browser_context, live_server):
    block = OfficeHoursFactory()
    mentee = make_mentee()
    booking = book(block, mentee, topic="Running my first retro")
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + reverse("officehours:booking", args=[booking.pk]))

    row = page.locator(".actions").bounding_box()
    history = page.get_by_role("heading", name="History").bounding_box()
    assert history["y"] >= row["y"] + row["height"] + 16, (
        f"History sits {history['y'] - row['y'] - row['height']} px under the buttons"
    )


def test_a_posted_form_shows_it_is_busy_and_still_sends_its_buttons_value(
    page, browser_context, live_server, organiser
):
    programme = programmes.create_programme(
        actor=organiser, name="Data Guild", matching_weights={"load": 2.0}
    )
    sign_in(browser_context, live_server, organiser)
    page.goto(live_server.url + reverse("programmes:edit", args=[programme.slug]))
    button = page.get_by_role("button", name="Save with the default weights")

    # Held on the page once it has gone (a listener after app.js's stops the navigation): what a slow server shows.
    page.evaluate("document.addEventListener('submit', e => e.preventDefault(), {once: true})")
    button.click()
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_be_disabled()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_enabled()

    page.reload()
    button.click()  # for real: the button's own name and value still reach the server
    expect(page.get_by_text("The programme is saved with the default weights.")).to_be_visible()
    programme.refresh_from_db()
    assert programme.matching_weights == {}


def test_the_notification_tick_boxes_are_on_a_phones_screen(page, browser_context, live_server):
    sign_in(browser_context, live_server, UserFactory())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + reverse("notifications:preferences"))

    box = page.locator("input[name='account.welcome:email']").bounding_box()
    assert box["x"] + box["width"] <= 390, f"the e-mail tick box starts at {box['x']} px"
