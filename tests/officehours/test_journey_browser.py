"""The office-hours journey in real Chromium: a mentor in Berlin sets up office hours (watching the live
preview in New York time), a mentee in New York books a slot, both see it in their calendar feeds, the
mentee reschedules and the mentor cancels — and the feeds follow every step."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from openhelp.help.officehours.models import Booking, BookingState, OfficeHours
from tests.factories import PASSWORD
from tests.factories_accounts import verified_user
from tests.harness.browser import DEFAULT_TIMEOUT_MS, log_in, sign_in
from tests.harness.tasks import run_pending_tasks

from . import ical_strict
from .editor_steps import open_all_week

pytestmark = pytest.mark.browser


def _feed(page) -> ical_strict.Component:
    """Read the feed address from the calendar page and fetch it as a calendar app would (no login)."""
    page.goto(reverse("officehours:calendar"))
    url = page.locator("[data-feed-url]").input_value()
    response = page.context.request.get(url, headers={"Cookie": ""})
    assert response.status == 200
    return ical_strict.parse(response.body())


def test_it_takes_office_hours_from_setup_to_booking_reschedule_and_cancel(
    browser, browser_context, live_server, shot
):
    mentor = verified_user("mira@example.org", display_name="Mira Mentor", timezone="Europe/Berlin")
    mentee = verified_user("nico@example.org", display_name="Nico Mentee", timezone="America/New_York")

    # 1. The mentor sets up office hours; the preview updates as she types, in her time and New York's.
    page = browser_context.new_page()
    sign_in(browser_context, live_server, mentor)
    open_all_week(page, "Postgres clinic")
    page.get_by_label("Slot length (minutes)").fill("30")
    page.get_by_label("Break between slots (minutes)").fill("0")
    page.get_by_label("Minimum notice (hours)").fill("0")
    page.get_by_label("A video room generated for each slot").check()
    page.get_by_label("Also show the preview in").select_option("America/New_York")
    preview = page.locator("#oh-preview")
    preview.get_by_text("In America/New_York").wait_for()
    assert "00:00, 00:30, 01:00" in preview.inner_text()
    shot(page, "editor-with-live-preview")
    page.get_by_role("button", name="Save office hours").click()
    page.wait_for_load_state()
    assert "Your office hours are saved" in page.content()
    block = OfficeHours.objects.get()
    assert block.timezone == "Europe/Berlin" and block.weekdays == [0, 1, 2, 3, 4, 5, 6]

    # 2. The mentee, in New York, finds the slot on "Office hours this week" and books it.
    mentee_context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="America/New_York"
    )
    mentee_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        other = mentee_context.new_page()
        log_in(other, email=mentee.email, password=PASSWORD)
        other.goto(reverse("officehours:week"))
        assert other.get_by_text("Europe/Berlin for Mira Mentor").first.is_visible()
        shot(other, "office-hours-this-week")
        other.get_by_role("link", name=re.compile(r"^Book .* with Mira Mentor$")).first.click()
        other.get_by_label("Topic").fill("Slow query on orders")
        other.get_by_label("Your preparation question").fill("Why does the planner ignore my index?")
        other.get_by_role("button", name="Confirm the booking").click()
        other.wait_for_load_state()
        assert "A confirmation is on its way" in other.content()
        shot(other, "booking-confirmed")
        booking = Booking.objects.get()

        # 3. Both see it in their private feeds.
        for person_page in (other, page):
            events = _feed(person_page).walk("VEVENT")
            assert len(events) == 1 and "Slow query on orders" in events[0].one("SUMMARY").value
            assert ical_strict.date_time(events[0].one("DTSTART")) == booking.start

        # 4. The mentee reschedules to another slot, with a reason.
        other.goto(reverse("officehours:booking", args=[booking.pk]))
        other.get_by_role("link", name="Reschedule").click()
        other.locator("input[name=slot]").nth(2).check()
        other.get_by_label("Reason").fill("My stand-up moved")
        other.get_by_role("button", name="Move the booking").click()
        other.wait_for_load_state()
        assert "The booking is moved" in other.content()
        shot(other, "rescheduled")
        booking.refresh_from_db()
        assert booking.sequence == 1
        event = _feed(page).walk("VEVENT")[0]
        assert event.one("SEQUENCE").value == "1"
        assert ical_strict.date_time(event.one("DTSTART")) == booking.start

        # 5. The mentor cancels from her sessions list; the mentee's feed drops it.
        page.goto(reverse("officehours:mine"))
        page.get_by_role("link", name="Slow query on orders").click()
        page.get_by_role("link", name="Cancel").click()
        page.get_by_label("Reason").fill("Called into an incident")
        page.get_by_role("button", name="Cancel the booking").click()
        page.wait_for_load_state()
        assert "cancelled" in page.content()
        shot(page, "cancelled-by-mentor")
        booking.refresh_from_db()
        assert booking.state == BookingState.CANCELLED
        assert _feed(other).walk("VEVENT") == []
        run_pending_tasks()  # the worker writes the notifications
        other.goto(reverse("notifications:list"))
        assert other.get_by_text(re.compile("Mira Mentor cancelled Slow query on orders")).first.is_visible()
    finally:
        mentee_context.close()
