"""The web pages: the editor with its preview, finding and booking a slot, changing plans, calendar."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from openhelp.directory.people.models import Language
from openhelp.help.asks.models import AskState
from openhelp.help.officehours.availability import slot_key
from openhelp.help.officehours.models import (
    Booking,
    BookingState,
    OfficeHours,
    PersonalCalendar,
    TimeOff,
    WaitlistEntry,
)
from openhelp.help.officehours.waitlist import join_waitlist
from tests.factories import SkillFactory, SkillOfferFactory
from tests.factories_asks import ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee, make_mentor

from .conftest import client_for

BLOCK_POST = {
    "title": "Postgres clinic",
    "weekdays": ["1", "3"],
    "start_time": "10:00",
    "end_time": "11:00",
    "timezone": "Europe/Berlin",
    "slot_minutes": "20",
    "buffer_minutes": "0",
    "seats": "1",
    "location_kind": "room",
    "place": "",
    "horizon_weeks": "2",
    "min_notice_hours": "2",
    "daily_cap": "",
    "is_active": "on",
    "compare_timezone": "America/New_York",
}


def test_a_mentor_sets_up_office_hours_with_a_preview_in_two_zones(mentor_client, mentor):
    page = mentor_client.get(reverse("officehours:block-new"))
    assert page.status_code == 200 and "Preview" in page.content.decode()
    preview = mentor_client.post(reverse("officehours:block-new"), {**BLOCK_POST, "preview": "1"})
    html = preview.content.decode()
    assert "Tue 3 Jun" in html and "10:00, 10:20, 10:40" in html
    assert "04:00, 04:20, 04:40" in html  # the same slots in New York
    assert not OfficeHours.objects.exists()
    saved = mentor_client.post(reverse("officehours:block-new"), BLOCK_POST)
    block = OfficeHours.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "officehours:block-edit", args=[block.pk]
    )
    assert (block.weekdays, block.slot_minutes, block.min_notice_minutes) == ([1, 3], 20, 120)


def test_the_preview_fragment_follows_the_form(mentor_client):
    response = mentor_client.get(
        reverse("officehours:block-preview"), {**BLOCK_POST, "compare_timezone": "Asia/Kathmandu"}
    )
    assert "Asia/Kathmandu" in response.content.decode() and "13:45" in response.content.decode()


def test_the_preview_shows_one_column_when_both_zones_are_the_same(mentor_client):
    response = mentor_client.get(
        reverse("officehours:block-preview"), {**BLOCK_POST, "compare_timezone": "Europe/Berlin"}
    )

    html = " ".join(response.content.decode().split())
    assert "<caption>Next two weeks: Europe/Berlin</caption>" in html
    assert "In Europe/Berlin" not in html and html.count('<th scope="col">') == 2


def test_bad_block_input_gets_field_errors_and_keeps_what_was_typed(mentor_client):
    response = mentor_client.post(
        reverse("officehours:block-new"),
        {**BLOCK_POST, "end_time": "09:00", "weekdays": [], "title": "Kept title"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "end_time" in form.errors and "weekdays" in form.errors
    assert 'value="Kept title"' in response.content.decode()


def test_a_form_with_errors_says_at_the_top_which_fields_need_a_look(mentor_client):
    response = mentor_client.post(
        reverse("officehours:block-new"), {**BLOCK_POST, "end_time": "09:00", "weekdays": []}
    )

    html = " ".join(response.content.decode().split())
    summary = html.split('<div role="alert" class="form-errors">')[1].split("</div>")[0]
    assert "2 fields need a look:" in summary
    assert '<a href="#id_weekdays_0">Weekdays</a>: Tick at least one weekday.' in summary
    assert '<a href="#id_end_time">Ends at (local time)</a>' in summary
    assert html.index('class="form-errors"') < html.index('name="title"')


def test_a_meeting_link_location_needs_a_link_on_the_profile(mentor_client, mentor):
    mentor.profile.meeting_link = ""
    mentor.profile.save()
    response = mentor_client.post(
        reverse("officehours:block-new"), {**BLOCK_POST, "location_kind": "meeting_link"}
    )
    assert response.status_code == 400 and "location_kind" in response.context["form"].errors


def test_the_week_page_shows_slots_with_seats_left_in_the_viewers_zone(mentee_client, group_block, mentor):
    book(group_block, make_mentee())
    html = mentee_client.get(reverse("officehours:week")).content.decode()
    assert "2 of 3 left" in html
    assert '<time datetime="2025-06-02T12:00:00+00:00">08:00</time>' in html  # in New York
    assert "14:00–15:00 Europe/Berlin for Mira Mentor" in html  # the block, in the mentor's zone, once


def test_a_full_slot_says_waiting_list_in_words_as_the_mentors_week_does(mentee_client, group_block):
    for _ in range(3):
        book(group_block, make_mentee())

    html = " ".join(mentee_client.get(reverse("officehours:week")).content.decode().split())

    assert '<span class="oh-seats">full · waiting list</span>' in html  # "full · wait" read as "please wait"
    assert "full · wait<" not in html


def test_the_week_page_headings_go_down_one_level_at_a_time(mentee_client, block):
    html = mentee_client.get(reverse("officehours:week")).content.decode()

    main = html.split("<main")[1].split("</main>")[0]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels[:3] == [1, 2, 3]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_week_page_names_each_mentor_once_a_day_and_each_slot_in_full(mentee_client, block, group_block):
    html = mentee_client.get(reverse("officehours:week")).content.decode()
    monday = html.split('id="day-1"')[1].split("</section>")[0]
    # One card for Mira on Monday, both blocks in it; slots are short chips, not "… for Mira Mentor" each.
    assert monday.count('class="card oh-block"') == 1
    assert monday.count("Europe/Berlin for Mira Mentor") == 2  # once per block
    chips = re.findall(r'<a class="oh-time[^"]*"[^>]*aria-label="([^"]+)"', monday)
    assert len(chips) == 6 + 2  # 09:00–12:00 in 30 minutes, 14:00–15:00 in 30 minutes
    # Each chip still says which day, what time and with whom to a screen reader.
    assert "Book Mon 2 Jun 03:00 with Mira Mentor" in chips
    assert "Book Mon 2 Jun 08:00 with Mira Mentor (3 of 3 seats left)" in chips


def test_the_week_page_filters_by_skill_language_day_and_working_hours(mentee_client, mentee, mentor, block):
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    block.skills.set([postgres])
    other = OfficeHoursFactory(
        mentor=make_mentor(name="Otto Other"), start_time=dt.time(20, 0), end_time=dt.time(21, 0)
    )
    SkillOfferFactory(profile=other.mentor.profile, skill=SkillFactory(name="Rust", slug="rust"))
    german = Language.objects.get_or_create(code="de", defaults={"name": "German"})[0]
    other.mentor.profile.languages.add(german)

    def names(**params):
        response = mentee_client.get(reverse("officehours:week"), params)
        return {mentor.display_name for _, mentors in response.context["days"] for mentor, _ in mentors}

    assert names() == {"Mira Mentor", "Otto Other"}
    assert names(skill="PostgreSQL") == {"Mira Mentor"}
    assert names(skill="Rust") == {"Otto Other"}
    assert names(language=german.pk) == {"Otto Other"}
    assert names(day="2025-06-03") == {"Mira Mentor", "Otto Other"}
    # Working hours 09:00–17:00 in New York: 09:00 Berlin (03:00 NY) does not fit, 20:00 Berlin (14:00) does.
    assert names(fit="on") == {"Otto Other"}
    empty = mentee_client.get(reverse("officehours:week"), {"skill": "Klingon opera"}).content.decode()
    assert "We don't know the skill" in empty and "No open slots match these filters" in empty


def test_the_mentors_page_lists_open_slots_and_hides_past_ones(mentee_client, mentor, block):
    response = mentee_client.get(reverse("officehours:mentor", args=[mentor.pk]))
    slots = [slot for day in response.context["grid"].days for slot in day.slots if slot.bookable]
    assert slots and all(slot.start > dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC) for slot in slots)
    assert "09:00 Europe/Berlin" in response.content.decode()


def test_booking_a_slot_leads_to_a_confirmation_page(mentee_client, mentee, block):
    slot = first_slot(block)
    url = reverse("officehours:book", args=[block.pk, slot.key])
    assert "Confirm the booking" in mentee_client.get(url).content.decode()
    response = mentee_client.post(
        url, {"topic": "EXPLAIN ANALYZE", "question": "Why is it slow?"}, follow=True
    )
    booking = Booking.objects.get()
    assert response.redirect_chain[-1][0] == reverse("officehours:booking", args=[booking.pk])
    html = response.content.decode()
    assert (
        "booked. A confirmation is on its way" in html
        and "EXPLAIN ANALYZE" in html
        and "Add to calendar" in html
    )
    assert "03:00" in html  # in New York


def test_a_booking_without_a_topic_keeps_the_question(mentee_client, block):
    slot = first_slot(block)
    response = mentee_client.post(
        reverse("officehours:book", args=[block.pk, slot.key]), {"topic": "", "question": "Keep me"}
    )
    assert response.status_code == 400 and "topic" in response.context["form"].errors
    assert "Keep me" in response.content.decode()


def test_a_taken_slot_answers_with_a_clear_conflict(mentee_client, block):
    slot = first_slot(block)
    book(block, make_mentee())
    response = mentee_client.post(reverse("officehours:book", args=[block.pk, slot.key]), {"topic": "Late"})
    assert response.status_code == 409
    assert "taken" in response.content.decode()


def test_a_full_group_slot_offers_the_waiting_list(mentee_client, mentee, group_block):
    for _ in range(3):
        book(group_block, make_mentee())
    slot = first_slot(group_block, free=False)
    url = reverse("officehours:book", args=[group_block.pk, slot.key])
    assert "Join the waiting list" in mentee_client.get(url).content.decode()
    mentee_client.post(
        reverse("officehours:waitlist-join", args=[group_block.pk, slot.key]), {"topic": "Please"}
    )
    entry = WaitlistEntry.objects.get(mentee=mentee)
    assert "You're on the waiting list" in mentee_client.get(url).content.decode()
    mentee_client.post(reverse("officehours:waitlist-leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.state == "left"


def test_joining_the_waiting_list_without_a_topic_keeps_the_question_next_to_the_error(
    mentee_client, mentee, group_block
):
    for _ in range(3):
        book(group_block, make_mentee())
    slot = first_slot(group_block, free=False)

    response = mentee_client.post(
        reverse("officehours:waitlist-join", args=[group_block.pk, slot.key]),
        {"topic": "", "question": "How do I read this plan?"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"topic": ["Say in a few words what you want to talk about."]}
    html = response.content.decode()
    assert "How do I read this plan?" in html and "Join the waiting list" in html
    assert not WaitlistEntry.objects.filter(mentee=mentee).exists()


def test_a_seat_freed_while_joining_the_waiting_list_offers_the_booking_with_the_text_kept(
    mentee_client, mentee, group_block
):
    slot = first_slot(group_block)  # still has free seats

    response = mentee_client.post(
        reverse("officehours:waitlist-join", args=[group_block.pk, slot.key]),
        {"topic": "Index advice", "question": "Which index first?"},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "This slot still has a free seat: book it instead." in html
    assert "Confirm the booking" in html
    assert 'value="Index advice"' in html and "Which index first?" in html
    assert not WaitlistEntry.objects.filter(mentee=mentee).exists()


def test_cancel_and_reschedule_pages(mentee_client, mentor_client, mentee, block):
    booking = book(block, mentee)
    page = mentee_client.get(reverse("officehours:booking-reschedule", args=[booking.pk]))
    target = next(
        value for value in page.context["slots"] if value.endswith(slot_key(first_slot(block, skip=2).start))
    )
    missing = mentee_client.post(
        reverse("officehours:booking-reschedule", args=[booking.pk]), {"slot": target}
    )
    assert missing.status_code == 400 and "reason" in missing.context["form"].errors
    mentee_client.post(
        reverse("officehours:booking-reschedule", args=[booking.pk]), {"slot": target, "reason": "Later"}
    )
    booking.refresh_from_db()
    assert booking.sequence == 1
    late = mentor_client.get(reverse("officehours:booking-cancel", args=[booking.pk]))
    assert "late cancellation" in late.content.decode()
    mentor_client.post(reverse("officehours:booking-cancel", args=[booking.pk]), {"reason": "Sick"})
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.late_cancellation
    detail = mentee_client.get(reverse("officehours:booking", args=[booking.pk])).content.decode()
    assert "Sick" in detail and "You moved it from" in detail and "Reschedule</a>" not in detail


def test_the_booking_history_speaks_to_the_reader_and_says_their_zone(
    mentee_client, mentor_client, mentee, block
):
    booking = book(block, mentee)
    mentor_client.post(reverse("officehours:booking-cancel", args=[booking.pk]), {"reason": "Sick"})
    url = reverse("officehours:booking", args=[booking.pk])

    mine = mentee_client.get(url).content.decode().split('id="history-heading"')[1]
    assert "You booked" in mine and f"by {mentee.display_name}" not in mine
    assert "Mira Mentor cancelled — “Sick”" in mine
    assert "Times in your zone (America/New_York)" in mine

    theirs = mentor_client.get(url).content.decode().split('id="history-heading"')[1]
    assert f"{mentee.display_name} booked" in theirs and "You cancelled" in theirs
    assert "Times in your zone (Europe/Berlin)" in theirs
    assert "<dt>Cancelled by</dt><dd>You: Sick</dd>" in mentor_client.get(url).content.decode()


def test_my_office_hours_lists_sessions_both_ways_and_an_empty_state(mentee_client, mentee, block):
    assert "You have no office hours yet" in mentee_client.get(reverse("officehours:mine")).content.decode()
    book(block, mentee)
    html = mentee_client.get(reverse("officehours:mine")).content.decode()
    assert "Query plans" in html and "you booked" in html


def test_my_blocks_line_up_with_the_bookings_above_them(mentor_client, block):
    # A plain <ul class="grid"> kept the list's indent: the block cards sat a step right of the bookings.
    html = mentor_client.get(reverse("officehours:mine")).content.decode()

    assert '<ul class="grid list-plain">' in html.split('id="blocks-heading"')[1]


def test_calendar_page_rotates_the_feed_and_saves_reminders(mentee_client, mentee):
    first = mentee_client.get(reverse("officehours:calendar")).context["feed_url"]
    mentee_client.post(reverse("officehours:calendar-rotate"))
    second = mentee_client.get(reverse("officehours:calendar")).context["feed_url"]
    assert first != second and "/office-hours/calendar/" in second
    mentee_client.post(reverse("officehours:calendar"), {"reminders": ["60"]})
    assert PersonalCalendar.objects.get(user=mentee).reminder_minutes == [60]


def test_time_off_is_added_and_removed(mentor_client, mentor, block):
    bad = mentor_client.post(
        reverse("officehours:time-off"), {"start_date": "2025-06-10", "end_date": "2025-06-01"}
    )
    assert bad.status_code == 400 and "end_date" in bad.context["form"].errors
    mentor_client.post(reverse("officehours:time-off"), {"start_date": "2025-06-02", "block": block.pk})
    row = TimeOff.objects.get()
    assert first_slot(block).local_date == dt.date(2025, 6, 3)
    mentor_client.post(reverse("officehours:time-off-delete", args=[row.pk]))
    assert not TimeOff.objects.exists()


def test_a_block_nobody_booked_is_deleted_and_a_booked_one_is_retired(mentor_client, block, group_block):
    book(block, make_mentee())
    mentor_client.post(reverse("officehours:block-delete", args=[block.pk]))
    mentor_client.post(reverse("officehours:block-delete", args=[group_block.pk]))
    assert list(OfficeHours.objects.values_list("pk", "is_active")) == [(block.pk, False)]


def test_an_accepted_call_ask_is_scheduled_from_a_slot_or_from_proposed_times(mentor, mentee, block):
    mentee_client, mentor_client = client_for(mentee), client_for(mentor)
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    url = reverse("officehours:ask-schedule", args=[ask.pk])
    page = mentee_client.get(url)
    assert page.context["slots"]
    assert client_for(make_mentee()).get(url).status_code == 404

    proposed = mentor_client.post(
        url,
        {
            "propose": "1",
            "time_1": "2025-06-05T15:00",
            "time_2": "2025-06-06T15:00",
            "location": "https://meet.example.org/x",
        },
    )
    assert proposed.status_code == 302
    proposal = mentee_client.get(url).context["proposal"]
    chosen = proposal.times.all()[1]
    mentee_client.post(url, {"proposed_time": chosen.pk})
    ask.refresh_from_db()
    booking = Booking.objects.get(ask=ask)
    assert ask.state == AskState.SCHEDULED and ask.scheduled_for == booking.start
    assert booking.start == dt.datetime(2025, 6, 6, 13, 0, tzinfo=dt.UTC)  # 15:00 in the mentor's Berlin

    other = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    slot = first_slot(block)
    mentee_client.post(
        reverse("officehours:ask-schedule", args=[other.pk]), {"slot": f"{block.pk}:{slot.key}"}
    )
    other.refresh_from_db()
    assert other.state == AskState.SCHEDULED and other.scheduled_for == slot.start


def test_join_waitlist_refuses_a_slot_with_free_seats(group_block, mentee):
    import pytest

    from openhelp.help.officehours.errors import BookingConflict

    with pytest.raises(BookingConflict):
        join_waitlist(mentee=mentee, office_hours=group_block, start=first_slot(group_block).start, topic="x")


def test_the_week_page_and_my_sessions_cost_the_same_queries_at_10_and_many_rows(mentee_client, mentee):
    from tests.harness.queries import assert_constant_queries

    def grow_blocks(n):
        for _ in range(n):
            OfficeHoursFactory(mentor=make_mentor(), seats=2, skills=[SkillFactory()])

    assert_constant_queries(
        grow=grow_blocks, action=lambda: mentee_client.get(reverse("officehours:week")), small=5, large=30
    )

    def grow_sessions(n):
        for _ in range(n):
            book(
                OfficeHoursFactory(mentor=make_mentor()),
                mentee,
                skip=len(Booking.objects.filter(mentee=mentee)),
            )

    assert_constant_queries(
        grow=grow_sessions, action=lambda: mentee_client.get(reverse("officehours:mine")), small=3, large=15
    )


def test_my_office_hours_calls_bookings_bookings_and_points_to_the_sessions_of_asks(mentee_client):
    body = mentee_client.get(reverse("officehours:mine")).content.decode()

    assert "Upcoming bookings" in body and "Upcoming sessions" not in body
    assert "No office-hours bookings coming up" in body
    assert f'href="{reverse("mentoring:list")}"' in body
