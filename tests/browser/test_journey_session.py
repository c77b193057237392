"""The micro-session in real Chromium: a mentee books an office-hours slot → the session page (on a phone)
→ agenda ticked → shared notes → debrief → kudos; the mentor endorses and both consent → the takeaway is
published and another person finds it in the library."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.help.mentoring.models import Session
from openhelp.platform.lib.clock import now
from tests.factories import PASSWORD, OpenToHelpProfileFactory, ProfileFactory, SkillFactory, UserFactory
from tests.factories_accounts import verify
from tests.factories_officehours import OfficeHoursFactory
from tests.harness.browser import log_in, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def person(email: str, name: str, *, open_to_help: bool = False):
    user = UserFactory(email=email, with_profile=False)
    (OpenToHelpProfileFactory if open_to_help else ProfileFactory)(user=user, display_name=name)
    verify(user)
    return user


def log_out(page) -> None:
    page.locator(".user-menu > summary").click()  # the user menu in the header
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    confirm = page.get_by_role("button", name=re.compile("sign out|log out", re.I))
    if "/accounts/logout" in page.url and confirm.count():
        confirm.first.click()
        page.wait_for_load_state()


def test_it_takes_a_booked_slot_to_a_published_takeaway(page, browser_context, live_server, shot):
    sql = SkillFactory(name="SQL", slug="sql")
    mentor = person("theo.expert@example.org", "Theo Expert", open_to_help=True)
    mentee = person("mina.mentee@example.org", "Mina Mentee")
    reader = person("paula.peer@example.org", "Paula Peer")
    OfficeHoursFactory(mentor=mentor, title="SQL drop-in", skills=[sql], min_notice_minutes=0)

    # 1. The mentee books a slot of the mentor's office hours.
    sign_in(browser_context, live_server, mentee)
    # Next week: this week has no free slot left late on a Sunday (the slots run 9:00–17:00 Berlin time).
    next_week = (now().date() + dt.timedelta(days=7)).isoformat()
    page.goto(f"/office-hours/m/{mentor.pk}/?week={next_week}")
    page.locator("a.slot-free").first.click()
    page.get_by_label("Topic").fill("Reading query plans")
    page.get_by_label("Your preparation question").fill("Why does Postgres pick a seq scan?")
    page.get_by_role("button", name="Confirm the booking").click()
    page.wait_for_load_state()

    # 2. The booking page leads to the session page, which was made from the booking.
    page.get_by_role("link", name="Open the session page").click()
    page.wait_for_load_state()
    session = Session.objects.get(mentee=mentee, mentor=mentor)
    assert session.title == "Reading query plans"
    assert page.get_by_role("heading", name="Reading query plans").is_visible()
    assert page.get_by_role("listitem").filter(has_text="Why does Postgres pick a seq scan?").is_visible()

    # 3. During the call, on a phone: the join link first, the timer runs and steps are ticked in place.
    # The booked slot is next week: move the session to now (the timer is offered only while it is live).
    Session.objects.filter(pk=session.pk).update(
        starts_at=now() - dt.timedelta(minutes=5), ends_at=now() + dt.timedelta(minutes=25)
    )
    page.clock.set_system_time(now())  # the page's timer reads the browser's clock: the server's (test) time
    page.reload()
    page.set_viewport_size(PHONE)
    assert page.get_by_text("Room 4.12").is_visible()  # a room, so no "Join the call" link
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # During the planned time the timer counts from the agreed start by itself.
    assert page.get_by_role("button", name="Reset the timer").is_visible()
    assert re.match(r"\d+ of \d+ minutes", page.locator("[data-timer-text]").inner_text())
    page.get_by_role("button", name=re.compile("Tick: Watch one")).click()
    page.locator(".agenda-step.done").first.wait_for()
    assert (
        page.get_by_role("button", name=re.compile("Untick: Watch one")).get_attribute("aria-pressed")
        == "true"
    )
    shot(page, "session-on-a-phone")
    page.reload()
    assert page.locator(".agenda-step.done").count() == 1  # it was saved

    # 4. Shared notes (Markdown) and a private note only the mentee sees, saved in place.
    page.evaluate("window.__loads = 1")  # gone if the page reloads
    page.get_by_role("textbox", name="Shared notes").fill("Read the plan **bottom-up**; check row estimates.")
    page.get_by_role("button", name="Save shared notes").click()
    page.locator("#shared-notes-status", has_text="Saved at").wait_for()
    assert page.locator(".note-rendered strong", has_text="bottom-up").is_visible()
    page.get_by_role("textbox", name="Shared notes").fill("Read the plan **bottom-up**; check estimates.")
    page.get_by_role("button", name="Save shared notes").click()  # the new version came back: no conflict
    page.locator(".note-rendered", has_text="check estimates").wait_for()
    page.get_by_role("textbox", name="My private notes").fill("I still find EXPLAIN ANALYZE scary.")
    page.get_by_role("button", name="Save my private notes").click()
    page.locator("#private-notes-status", has_text="Saved at").wait_for()
    assert page.evaluate("window.__loads") == 1  # all of it without a reload
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "notes-saved-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The call takes place: move the session into the past (the browser keeps the real clock).
    Session.objects.filter(pk=session.pk).update(
        starts_at=now() - dt.timedelta(minutes=40), ends_at=now() - dt.timedelta(minutes=10)
    )

    # 5. The mentee debriefs: takeaways, an https resource, outcome, rating, consent to publish.
    page.reload()
    page.get_by_role("link", name="Write the debrief").click()
    page.get_by_role("textbox", name="Takeaways").fill(
        "Read query plans from the bottom up\nCompare estimated and actual rows"
    )
    page.get_by_label("Resource 1: title").fill("Using EXPLAIN")
    page.get_by_label("Resource 1: link").fill("http://www.postgresql.org/docs/current/using-explain.html")
    page.get_by_label("Solved", exact=True).check()
    page.get_by_label("5 of 5").check()
    page.get_by_label("Publish our takeaways and resources to the library").check()
    page.get_by_role("button", name="Save the debrief").click()
    assert page.get_by_text("Use a full https:// link.").is_visible()  # nothing typed is lost
    assert page.get_by_role("textbox", name="Takeaways").input_value().startswith("Read query plans")
    page.get_by_label("Resource 1: link").fill("https://www.postgresql.org/docs/current/using-explain.html")
    page.get_by_role("button", name="Save the debrief").click()
    page.get_by_text("Debrief saved. Thank you!").wait_for()
    shot(page, "debrief-saved")

    # 6. Kudos from the session page.
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Give kudos to Theo Expert").click()
    page.get_by_label("Message (optional)").fill("Query plans finally make sense. Thank you!")
    page.get_by_role("button", name="Send thanks").click()
    page.wait_for_load_state()
    assert Kudos.objects.filter(giver=mentee, receiver=mentor, session=session).exists()
    log_out(page)

    # 7. The mentor endorses the skill demonstrated and agrees to publish.
    log_in(page, email=mentor.email, password=PASSWORD)
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Help others").click()
    page.get_by_role("link", name="My sessions").click()
    page.get_by_role("link", name="Reading query plans").click()
    assert "EXPLAIN ANALYZE" not in page.content()  # the mentee's private note stays theirs
    page.get_by_role("link", name="Open the debrief").click()
    page.get_by_label("Skill the mentee demonstrated").select_option(label="SQL")
    page.get_by_role("button", name="Endorse").click()
    page.get_by_text("You endorsed Mina Mentee for SQL.").wait_for()
    assert Endorsement.objects.filter(session=session, skill=sql).exists()
    page.get_by_label("Publish our takeaways and resources to the library").check()
    page.get_by_role("button", name="Save the debrief").click()
    page.get_by_text("in the library").wait_for()
    shot(page, "published")
    log_out(page)

    # 8. Somebody else finds the takeaway in the library.
    log_in(page, email=reader.email, password=PASSWORD)
    page.goto("/library/")
    page.get_by_label("Search takeaways").fill("bottom up")
    page.get_by_label("Search takeaways").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text("Read query plans from the bottom up").first.is_visible()
    assert "EXPLAIN ANALYZE scary" not in page.content()
    shot(page, "found-in-the-library")
