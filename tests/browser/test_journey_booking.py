"""Booking from the week grid in real Chromium, on a desktop (1280×800) and a phone (390×844): a mentee in
New York reads a Berlin mentor's week in New York time, moves to the next week, picks a free slot, confirms
it, and lands on a session page whose join link comes first — and no page scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from openhelp.help.officehours.models import Booking
from tests.factories import SkillFactory
from tests.factories_accounts import verified_user
from tests.factories_officehours import OfficeHoursFactory
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MEETING = "https://meet.example.org/mira-office-hours"


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def book_from_the_grid(page, *, topic: str) -> None:
    page.get_by_role("link", name="Next week", exact=True).click()
    page.wait_for_load_state()
    assert "?week=" in page.url
    slot = page.locator("a.slot-free").first
    label = slot.get_attribute("aria-label")
    assert re.match(
        r"^Book \w{3} \d+ \w{3} \d\d:\d\d with Mira Mentor \(\d\d:\d\d Europe/Berlin for them\)$", label
    )
    slot.click()
    page.wait_for_load_state()
    assert page.get_by_text("for Mira Mentor (Europe/Berlin)").is_visible()
    no_sideways_scroll(page)
    page.get_by_label("Topic").fill(topic)
    page.get_by_label("Your preparation question").fill("Which index would help?")
    page.get_by_role("button", name="Confirm the booking").click()
    page.wait_for_load_state()
    assert "A confirmation is on its way" in page.content()
    no_sideways_scroll(page)


def test_it_books_from_the_week_grid_on_a_desktop_and_a_phone(page, browser_context, live_server, shot):
    mentor = verified_user("mira@example.org", display_name="Mira Mentor", timezone="Europe/Berlin")
    mentor.profile.meeting_link = MEETING
    mentor.profile.save()
    mentee = verified_user("nico@example.org", display_name="Nico Mentee", timezone="America/New_York")
    OfficeHoursFactory(
        mentor=mentor,
        title="Postgres clinic",
        skills=[SkillFactory(name="PostgreSQL", slug="postgresql")],
        location_kind="meeting_link",
        start_time="09:00",
        end_time="12:00",
    )
    sign_in(browser_context, live_server, mentee)

    # 1. Desktop: the week as seven columns, in the mentee's zone, with the zone named.
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("officehours:mentor", args=[mentor.pk]))
    assert page.get_by_text("Times in America/New_York").is_visible()
    days = page.locator(".week-day")
    assert days.count() == 7
    tops = {round(days.nth(n).bounding_box()["y"]) for n in range(7)}
    assert len(tops) == 1  # side by side
    assert page.locator(".week-nav .is-disabled", has_text="Previous week").count() == 1  # no past weeks
    no_sideways_scroll(page)
    shot(page, "week-grid-desktop")
    book_from_the_grid(page, topic="Slow query on orders")
    page.get_by_role("link", name="Open the session page").click()
    page.wait_for_load_state()
    # Days ahead, the page says when the call link opens; five minutes before the start, it is there.
    assert page.get_by_text("The call link opens at").is_visible()
    assert page.get_by_role("link", name="Join the call").count() == 0
    booked = Booking.objects.filter(mentee=mentee, topic="Slow query on orders").get()
    with time_machine.travel(booked.start - dt.timedelta(minutes=5), tick=True):
        page.reload()
        join = page.get_by_role("link", name="Join the call")
        assert join.get_attribute("href") == MEETING
        shot(page, "session-desktop")

    # 2. Phone: days stacked, the booked slot marked, another slot booked; the session page fits.
    page.set_viewport_size(PHONE)
    page.goto(reverse("officehours:mentor", args=[mentor.pk]))
    no_sideways_scroll(page)
    first, second = page.locator(".week-day").nth(0), page.locator(".week-day").nth(1)
    assert second.bounding_box()["y"] > first.bounding_box()["y"]  # stacked
    shot(page, "week-grid-phone")
    book_from_the_grid(page, topic="Partial indexes")
    page.goto(reverse("officehours:mentor", args=[mentor.pk]))
    page.get_by_role("link", name="Next week", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".slot-mine", has_text="You're booked").count() == 2
    no_sideways_scroll(page)
    shot(page, "week-grid-phone-booked")

    booking = Booking.objects.filter(mentee=mentee, topic="Partial indexes").get()
    with time_machine.travel(booking.start - dt.timedelta(minutes=5), tick=True):
        page.goto(reverse("officehours:booking-session", args=[booking.pk]))
        page.wait_for_load_state()
        join = page.get_by_role("link", name="Join the call")
        box = join.bounding_box()
    assert box["y"] < PHONE["height"] / 2 and box["width"] > PHONE["width"] * 0.6  # big, at the top
    page.get_by_role("button", name=re.compile("Tick: Watch one")).click()
    page.locator(".agenda-step.done").first.wait_for()
    no_sideways_scroll(page)
    shot(page, "session-phone")

    # 3. My sessions: both bookings under "Coming up", in the mentee's zone.
    page.goto(reverse("mentoring:list"))
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    assert upcoming.get_by_text("Slow query on orders").is_visible()
    assert upcoming.get_by_text("Partial indexes").is_visible()
    no_sideways_scroll(page)
    shot(page, "my-sessions-phone")
