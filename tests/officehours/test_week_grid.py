"""A mentor's page as a week grid in the viewer's zone: days as columns, free slots as links to the booking
form, past and unavailable ones disabled, previous and next weeks within the booking horizon."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from openhelp.help.officehours.grid import FREE, FULL, PAST, UNAVAILABLE, parse_week
from openhelp.help.officehours.models import Booking
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor

from .conftest import client_for


def grid_of(client, mentor, **params):
    response = client.get(reverse("officehours:mentor", args=[mentor.pk]), params)
    assert response.status_code == 200
    return response, response.context["grid"]


def local_times(day, tz: str, states=(FREE,)) -> list[str]:
    from zoneinfo import ZoneInfo

    return [s.start.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in day.slots if s.state in states]


def test_it_shows_the_week_in_the_viewers_zone(mentee_client, mentor, block):
    response, grid = grid_of(mentee_client, mentor)
    html = response.content.decode()
    assert grid.monday == dt.date(2025, 6, 2) and grid.zone == "America/New_York"
    assert [day.date.isoformat() for day in grid.days][::6] == ["2025-06-02", "2025-06-08"]
    # 09:00–12:00 in Berlin is 03:00–06:00 in New York.
    assert local_times(grid.days[0], "America/New_York") == [
        "03:00",
        "03:30",
        "04:00",
        "04:30",
        "05:00",
        "05:30",
    ]
    assert "Times in America/New_York" in html
    first = grid.days[0].slots[0]
    assert reverse("officehours:book", args=[block.pk, first.key]) in html
    assert 'aria-label="Book Mon 2 Jun 03:00 with Mira Mentor (09:00 Europe/Berlin for them)"' in html


def test_it_shows_past_and_unavailable_slots_disabled(mentee_client, mentor, block):
    with time_machine.travel(dt.datetime(2025, 6, 2, 8, 10, tzinfo=dt.UTC), tick=False):  # 10:10 in Berlin
        book(block, make_mentee())  # the 10:30 slot (Berlin): one seat, now full
        response, grid = grid_of(mentee_client, mentor)
    monday = grid.days[0]
    assert local_times(monday, "Europe/Berlin", (PAST,)) == ["09:00", "09:30", "10:00"]
    assert local_times(monday, "Europe/Berlin", (FULL,)) == ["10:30"]
    assert local_times(monday, "Europe/Berlin", (FREE,)) == ["11:00", "11:30"]
    html = response.content.decode()
    assert html.count("disabled") >= 3 and "full · waiting list" in html
    # A full slot is not one "to book": the line above the grid counts free and full apart.
    free = sum(len(local_times(day, "Europe/Berlin", (FREE,))) for day in grid.days)
    assert f"{free} free slots this week, 1 full (waiting list)" in " ".join(html.split())


def test_a_day_away_is_shown_but_not_bookable(mentee_client, mentor, block):
    from tests.factories_officehours import TimeOffFactory

    TimeOffFactory(office_hours=block, start_date=dt.date(2025, 6, 4), end_date=dt.date(2025, 6, 4))
    _, grid = grid_of(mentee_client, mentor)
    wednesday = grid.days[2]
    assert wednesday.slots and {s.state for s in wednesday.slots} == {UNAVAILABLE}
    assert wednesday.bookable == 0


def test_at_23_30_utc_each_viewer_sees_their_own_week(mentor, block):
    tokyo = client_for(make_mentee(timezone="Asia/Tokyo"))
    new_york = client_for(make_mentee(timezone="America/New_York"))
    # Sunday 1 June 23:30 UTC: Monday 08:30 in Tokyo, Sunday 19:30 in New York.
    with time_machine.travel(dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        _, in_tokyo = grid_of(tokyo, mentor)
        _, in_new_york = grid_of(new_york, mentor)
        _, next_in_new_york = grid_of(new_york, mentor, week=in_new_york.next.isoformat())
    assert in_tokyo.monday == dt.date(2025, 6, 2)
    assert in_tokyo.days[0].is_today
    assert local_times(in_tokyo.days[0], "Asia/Tokyo")[:2] == ["16:00", "16:30"]  # 09:00 in Berlin
    assert in_new_york.monday == dt.date(2025, 5, 26) and in_new_york.days[6].is_today
    assert in_new_york.bookable == 0  # Sunday's hours in Berlin are over
    assert local_times(in_new_york.days[6], "America/New_York", (PAST,))[0] == "03:00"
    assert next_in_new_york.monday == dt.date(2025, 6, 2)
    assert local_times(next_in_new_york.days[0], "America/New_York")[0] == "03:00"


def test_the_weeks_stop_at_today_and_at_the_booking_horizon(mentee_client, mentor, block):
    response, grid = grid_of(mentee_client, mentor)
    assert grid.previous is None and grid.next == dt.date(2025, 6, 9)
    assert "?week=2025-06-09" in response.content.decode()
    _, later = grid_of(mentee_client, mentor, week="2025-06-11")  # any day picks its week
    assert later.monday == dt.date(2025, 6, 9) and later.previous == dt.date(2025, 6, 2)
    _, far = grid_of(mentee_client, mentor, week="2031-01-01")
    assert far.monday == dt.date(2025, 6, 16) and far.next is None  # two weeks ahead at most
    _, past = grid_of(mentee_client, mentor, week="2020-01-06")
    _, junk = grid_of(mentee_client, mentor, week="next tuesday")
    assert past.monday == junk.monday == dt.date(2025, 6, 2)


def test_parse_week_keeps_to_the_range():
    first, last = dt.date(2025, 6, 2), dt.date(2025, 6, 16)
    assert parse_week("2025-06-08", first=first, last=last) == first
    assert parse_week("", first=first, last=last) == first
    assert parse_week("2025-13-01", first=first, last=last) == first
    assert parse_week("2025-06-30", first=first, last=last) == last


def test_picking_a_slot_books_it_through_the_confirm_form(mentee_client, mentee, mentor, block):
    _, grid = grid_of(mentee_client, mentor)
    slot = grid.days[1].slots[0]
    url = reverse("officehours:book", args=[block.pk, slot.key])
    form = mentee_client.get(url)
    assert form.status_code == 200 and "Confirm the booking" in form.content.decode()
    assert (
        f"?week={slot.start.astimezone(dt.timezone(dt.timedelta(hours=-4))).date()}" in form.content.decode()
    )
    done = mentee_client.post(url, {"topic": "Indexes", "question": "Which one?"})
    booking = Booking.objects.get(mentee=mentee)
    assert done.status_code == 302 and booking.start == slot.start
    response, again = grid_of(mentee_client, mentor)
    assert [s.state for s in again.days[1].slots][0] == "booked"
    assert "You're booked" in response.content.decode()


def test_the_mentor_sees_their_own_slots_not_as_links(mentor_client, mentor, block):
    response, grid = grid_of(mentor_client, mentor)
    assert {s.state for day in grid.days for s in day.slots} <= {"own", PAST, UNAVAILABLE}
    assert (
        reverse("officehours:book", args=[block.pk, grid.days[0].slots[0].key])
        not in response.content.decode()
    )


def test_a_mentor_without_office_hours_has_an_empty_state(mentee_client):
    response, grid = grid_of(mentee_client, make_mentor(name="Nobody Yet"))
    assert grid.bookable == 0 and "No office hours yet" in response.content.decode()


def test_the_grid_costs_the_same_queries_with_few_and_many_blocks(mentee_client, mentor):
    from tests.harness.queries import assert_constant_queries

    def grow(n):
        for hour in range(n):
            OfficeHoursFactory(
                mentor=mentor, start_time=dt.time(hour % 20, 0), end_time=dt.time(hour % 20, 30), seats=2
            )

    assert_constant_queries(
        grow=grow,
        action=lambda: mentee_client.get(reverse("officehours:mentor", args=[mentor.pk])),
        small=2,
        large=8,
    )


def test_a_day_that_is_over_is_one_line(mentee_client, mentor, block):
    with time_machine.travel(dt.datetime(2025, 6, 3, 12, 0, tzinfo=dt.UTC), tick=False):  # Tue 14:00 Berlin
        response, grid = grid_of(mentee_client, mentor)
    assert grid.days[0].is_over and grid.days[1].is_over and not grid.days[2].is_over
    assert response.content.decode().count("Over: 6 slots past") == 2
