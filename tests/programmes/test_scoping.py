"""Scoping: asks and office hours belong to a programme only when their author is a member, and then
routing, the late-cancel window and the no-show policy follow that programme's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from openhelp.directory.programmes import services
from openhelp.help.asks import services as ask_services
from openhelp.help.officehours import services as officehours_services
from openhelp.help.officehours.changes import cancel_booking
from openhelp.help.routing import services as routing_services
from openhelp.help.routing.models import Offer
from tests.factories import SkillFactory
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee
from tests.factories_officehours import make_mentor as make_oh_mentor
from tests.factories_routing import make_mentor, open_ask

pytestmark = pytest.mark.django_db


def ask_fields(skill) -> dict:
    return {
        "title": "First A/B test",
        "objective": "read my A/B test results",
        "preparation_questions": ["Which test fits?"],
        "skills": [skill],
    }


def test_an_ask_can_only_be_scoped_to_one_of_my_programmes(programme, member, outsider):
    skill = SkillFactory(name="SQL")
    with pytest.raises(ValidationError) as caught:
        ask_services.create_ask(mentee=outsider, programme=programme, **ask_fields(skill))
    assert "programme" in caught.value.message_dict
    ask = ask_services.create_ask(mentee=member, programme=programme, **ask_fields(skill))
    assert ask.programme == programme
    unscoped = ask_services.create_ask(mentee=member, **ask_fields(skill))
    assert unscoped.programme is None


def test_the_programme_of_an_ask_only_changes_while_it_is_a_draft(programme, member):
    skill = SkillFactory(name="SQL")
    ask = ask_services.create_ask(mentee=member, **ask_fields(skill))
    ask = ask_services.update_ask(ask=ask, actor=member, programme=programme)
    assert ask.programme_id == programme.pk
    ask_services.publish_ask(ask=ask, actor=member)
    ask.refresh_from_db()
    with pytest.raises(ValidationError):
        ask_services.update_ask(ask=ask, actor=member, programme=None)


def test_routing_offers_as_many_experts_as_the_programme_says(programme, organiser, member):
    skill = SkillFactory(name="SQL")
    for _ in range(4):
        make_mentor(skill)
    site_ask = open_ask(skills=[skill])
    assert routing_services.route_ask(ask=site_ask) == 3  # the site default
    services.update_programme(programme=programme, actor=organiser, offers_per_round=1)
    scoped = open_ask(skills=[skill], mentee=member, programme=programme)
    assert routing_services.route_ask(ask=scoped) == 1
    assert Offer.objects.filter(ask=scoped).count() == 1


def test_office_hours_can_only_be_scoped_to_one_of_my_programmes(programme, organiser):
    mentor = make_oh_mentor()
    fields = {
        "weekdays": [0],
        "start_time": dt.time(9, 0),
        "end_time": dt.time(10, 0),
        "timezone": "Europe/Berlin",
        "location_kind": "room",
    }
    with pytest.raises(ValidationError) as caught:
        officehours_services.save_block(mentor=mentor, programme=programme, **fields)
    assert "programme" in caught.value.message_dict
    services.add_members(programme=programme, users=[mentor], role="member", actor=organiser)
    block = officehours_services.save_block(mentor=mentor, programme=programme, **fields)
    assert block.programme == programme


def test_the_late_cancel_window_follows_the_office_hours_programme(programme, organiser):
    mentor, mentee = make_oh_mentor(), make_mentee()
    block = OfficeHoursFactory(mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(12, 0))
    # Tomorrow 09:00 Berlin is 25 hours away: outside the site's 24-hour window.
    booking = book(block, mentee, skip=6)
    assert not cancel_booking(booking=booking, actor=mentee, reason="Plans changed").late_cancellation

    services.update_programme(programme=programme, actor=organiser, late_cancel_hours=48)
    services.add_members(programme=programme, users=[mentor, mentee], role="member", actor=organiser)
    scoped = OfficeHoursFactory(
        mentor=mentor, start_time=dt.time(13, 0), end_time=dt.time(15, 0), programme=programme
    )
    booking = book(scoped, mentee, skip=4)  # tomorrow afternoon: inside the programme's 48 hours
    assert booking.start - dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC) < dt.timedelta(hours=48)
    assert cancel_booking(booking=booking, actor=mentee, reason="Plans changed").late_cancellation


def test_the_no_show_policy_follows_the_office_hours_programme(programme, organiser):
    from openhelp.help.mentoring.attendance import booking_paused_reason, policy
    from openhelp.help.mentoring.models import Attendance, AttendanceKind
    from openhelp.help.officehours.errors import BookingPaused
    from tests.factories_mentoring import SessionFactory

    mentee = make_mentee()
    for _ in range(2):
        session = SessionFactory(mentee=mentee)
        Attendance.objects.create(
            session=session, reporter=session.mentor, kind=AttendanceKind.NO_SHOW, absent=mentee
        )
    assert booking_paused_reason(mentee) is not None  # two no-shows pause booking on the site
    programme = services.update_programme(programme=programme, actor=organiser, no_show_max=3)
    assert policy(programme)["MAX_NO_SHOWS"] == 3
    assert booking_paused_reason(mentee, programme) is None
    # Booking follows the booked office hours' programme.
    mentor = make_oh_mentor()
    site_block = OfficeHoursFactory(mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(10, 0))
    with pytest.raises(BookingPaused):
        book(site_block, mentee, skip=2)
    scoped = OfficeHoursFactory(
        mentor=mentor, start_time=dt.time(13, 0), end_time=dt.time(15, 0), programme=programme
    )
    services.add_members(programme=programme, users=[mentor, mentee], role="member", actor=organiser)
    assert book(scoped, mentee, skip=2).pk


def test_programme_office_hours_are_seen_and_booked_by_its_members_only(programme, organiser, client):
    from django.urls import reverse

    from openhelp.help.officehours.models import OfficeHours

    mentor, member, stranger = make_oh_mentor(), make_mentee(), make_mentee()
    services.add_members(programme=programme, users=[mentor, member], role="member", actor=organiser)
    scoped = OfficeHoursFactory(mentor=mentor, programme=programme, title="Guild drop-in")
    everyone = OfficeHoursFactory(
        mentor=mentor, title="Open drop-in", start_time=dt.time(15, 0), end_time=dt.time(17, 0)
    )

    assert set(OfficeHours.objects.open_to(member)) == {scoped, everyone}
    assert set(OfficeHours.objects.open_to(stranger)) == {everyone}
    with pytest.raises(ValidationError) as caught:
        book(scoped, stranger)
    assert caught.value.message_dict == {
        "office_hours": ["These office hours are for the members of a programme."]
    }
    assert book(scoped, member).pk

    client.force_login(stranger)
    page = client.get(reverse("officehours:mentor", args=[mentor.pk])).content.decode()
    assert "Open drop-in" in page and "Guild drop-in" not in page
    client.force_login(member)
    page = client.get(reverse("officehours:mentor", args=[mentor.pk])).content.decode()
    assert "Open drop-in" in page and "Guild drop-in" in page
