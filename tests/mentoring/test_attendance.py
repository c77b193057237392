"""Attendance after the planned end, the reliability figure, and the no-show pause on booking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from openhelp.help.mentoring import attendance, debriefs, services
from openhelp.help.mentoring.models import Attendance, AttendanceKind, SessionFormat, SessionState
from openhelp.help.mentoring.services import SessionConflict
from openhelp.help.officehours.changes import cancel_booking
from openhelp.platform.notifications.models import Notification
from tests.factories_mentoring import AttendanceFactory, SessionFactory, past_session
from tests.factories_officehours import OfficeHoursFactory, book

pytestmark = pytest.mark.django_db


def test_it_waits_for_the_planned_end(mentee, mentor):
    upcoming = SessionFactory(mentee=mentee, mentor=mentor)
    with pytest.raises(SessionConflict):
        attendance.report_attendance(session=upcoming, reporter=mentor, kind=AttendanceKind.HAPPENED)


def test_it_has_no_attendance_for_async_or_cancelled_sessions(mentee, mentor):
    for session in (
        SessionFactory(mentee=mentee, mentor=mentor, format=SessionFormat.ASYNC, starts_at=None),
        past_session(mentee=mentee, mentor=mentor, state=SessionState.CANCELLED),
    ):
        with pytest.raises(SessionConflict):
            attendance.report_attendance(session=session, reporter=mentor, kind=AttendanceKind.HAPPENED)


def test_it_confirms_a_session_happened(mentee, mentor, mentor_client):
    session = past_session(mentee=mentee, mentor=mentor)
    page = mentor_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "Did it happen?" in page
    response = mentor_client.post(reverse("mentoring:attendance", args=[session.pk]), {"kind": "happened"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.COMPLETED


def test_it_hides_attendance_before_the_end(mentee, mentor, mentor_client):
    session = SessionFactory(mentee=mentee, mentor=mentor)
    assert (
        "Did it happen?"
        not in mentor_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    )


def test_it_reports_a_no_show_and_tells_the_absent_person(mentee, mentor, django_capture_on_commit_callbacks):
    session = past_session(mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        statement = attendance.report_attendance(
            session=session, reporter=mentor, kind=AttendanceKind.NO_SHOW
        )
    assert statement.absent == mentee
    notice = Notification.objects.get(event="session.no_show_reported")
    assert notice.recipient == mentee
    assert "say so on the session page" in notice.body


def test_it_lets_people_change_their_own_statement(mentee, mentor):
    session = past_session(mentee=mentee, mentor=mentor)
    attendance.report_attendance(session=session, reporter=mentor, kind=AttendanceKind.NO_SHOW)
    attendance.report_attendance(session=session, reporter=mentor, kind=AttendanceKind.HAPPENED)
    assert Attendance.objects.get(session=session, reporter=mentor).kind == AttendanceKind.HAPPENED
    assert Attendance.objects.count() == 1


def test_it_writes_the_reliability_figure(mentee, mentor):
    for _ in range(11):
        past_session(mentee=mentee, mentor=mentor)
    missed = past_session(mentee=mentee, mentor=mentor)
    attendance.report_attendance(session=missed, reporter=mentor, kind=AttendanceKind.NO_SHOW)
    SessionFactory(mentee=mentee, mentor=mentor)  # upcoming: not counted
    past_session(mentee=mentee, mentor=mentor, state=SessionState.CANCELLED)  # cancelled: not counted

    figure = attendance.reliability_for(mentee)
    assert (figure.attended, figure.total, figure.no_shows) == (11, 12, 1)
    assert str(figure) == "attended 11 of 12"
    assert str(attendance.reliability_for(mentor)) == "attended 12 of 12"


def test_it_counts_late_cancellations_from_office_hours(mentee, mentor):
    block = OfficeHoursFactory(mentor=mentor)
    booking = book(block, mentee)  # the first slot: within the late window
    cancel_booking(booking=booking, actor=mentee, reason="Overslept")
    booking.refresh_from_db()
    assert booking.late_cancellation
    past_session(mentee=mentee, mentor=mentor)
    assert str(attendance.reliability_for(mentee)) == "attended 1 of 1, 1 late cancellation"
    assert str(attendance.reliability_for(mentor)) == "attended 1 of 1"


def test_it_does_not_count_a_disputed_no_show(mentee, mentor):
    session = past_session(mentee=mentee, mentor=mentor)
    attendance.report_attendance(session=session, reporter=mentor, kind=AttendanceKind.NO_SHOW)
    attendance.report_attendance(session=session, reporter=mentee, kind=AttendanceKind.HAPPENED)
    assert attendance.reliability_for(mentee).no_shows == 0


@override_settings(NO_SHOW_POLICY={"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60})
def test_it_pauses_booking_after_repeated_no_shows(mentee, mentor, time_travel):
    AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert attendance.booking_paused_reason(mentee) is None
    AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    reason = attendance.booking_paused_reason(mentee)
    assert reason.startswith("Booking is paused: 2 sessions in the last 60 days")
    assert attendance.booking_paused_reason(mentor) is None

    time_travel.shift(dt.timedelta(days=61))
    assert attendance.booking_paused_reason(mentee) is None  # they aged out of the window


@override_settings(NO_SHOW_POLICY={"MAX_NO_SHOWS": 3, "WINDOW_DAYS": 10})
def test_it_reads_the_policy_from_settings(mentee, mentor):
    for _ in range(2):
        AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert attendance.booking_paused_reason(mentee) is None
    AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert "3 sessions in the last 10 days" in attendance.booking_paused_reason(mentee)


def test_it_lets_an_organiser_lift_a_pause(mentee, mentor, organiser, organiser_client, mentee_client):
    for _ in range(2):
        AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert "Booking is paused" in mentee_client.get(reverse("mentoring:list")).content.decode()
    page = organiser_client.get(reverse("mentoring:organiser")).content.decode()
    assert "Nico Mentee" in page

    response = organiser_client.post(
        reverse("mentoring:lift-pause", args=[mentee.pk]), {"note": "Was ill"}, follow=True
    )
    assert "Nico Mentee can book again." in response.content.decode()
    assert attendance.booking_paused_reason(mentee) is None
    assert "Nico Mentee" not in organiser_client.get(reverse("mentoring:organiser")).content.decode()

    # a new no-show after the lift counts again, on its own
    AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert attendance.booking_paused_reason(mentee) is None


def test_it_lets_only_organisers_lift_pauses(mentee, mentor_client):
    assert mentor_client.get(reverse("mentoring:organiser")).status_code == 404
    assert mentor_client.post(reverse("mentoring:lift-pause", args=[mentee.pk])).status_code == 404


def test_it_sends_no_email_to_the_reporter(mentee, mentor, django_capture_on_commit_callbacks):
    session = past_session(mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        attendance.report_attendance(session=session, reporter=mentor, kind=AttendanceKind.NO_SHOW)
    assert not Notification.objects.filter(recipient=mentor).exists()
    assert all(mentor.email not in message.to for message in mail.outbox)


def test_it_refuses_to_book_while_paused_and_says_why(mentee, mentor, mentee_client, organiser):
    from openhelp.help.officehours.availability import slot_key
    from tests.factories_officehours import first_slot

    for _ in range(2):
        AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    block = OfficeHoursFactory(mentor=mentor)
    slot = first_slot(block, skip=5)
    url = reverse("officehours:book", args=[block.pk, slot_key(slot.start)])
    response = mentee_client.post(url, {"topic": "Query plans", "question": "Why?"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Booking is paused" in page
    assert 'value="Query plans"' in page  # the topic typed is kept

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(mentee)
    response = client.post(
        reverse("api:bookings-list"),
        {"office_hours": block.pk, "start": slot.start.isoformat(), "topic": "Query plans"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "booking_paused"

    attendance.lift_pause(user=mentee, organiser=organiser)
    response = mentee_client.post(url, {"topic": "Query plans", "question": "Why?"})
    assert response.status_code == 302


def test_a_debriefed_session_shows_its_outcome_instead_of_asking(mentee, mentor, mentor_client):
    session = past_session(mentee=mentee, mentor=mentor)
    services.apply_agenda_template(session=session, actor=mentor, template="skill_transfer")
    debriefs.record_debrief(session=session, actor=mentee, outcome="solved")

    page = mentor_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()

    assert "Did it happen?" not in page
    assert reverse("mentoring:attendance", args=[session.pk]) not in page
    assert "It happened" in page and "Outcome: <strong>Solved</strong>" in page
    agenda = page.split('id="agenda"')[1].split("</section>")[0]
    assert "Watch one" in agenda and 'class="tick"' not in agenda  # a record, not open boxes


def test_a_debriefed_session_still_lets_the_accused_answer_a_no_show(mentee, mentor, mentee_client):
    session = past_session(mentee=mentee, mentor=mentor)
    attendance.report_attendance(session=session, reporter=mentor, kind="no_show")
    debriefs.record_debrief(session=session, actor=mentee, outcome="solved")

    page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()

    assert "Mira Mentor said: you did not come." in page
    assert reverse("mentoring:attendance", args=[session.pk]) in page
