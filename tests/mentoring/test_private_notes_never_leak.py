"""Private notes never leak: one test per channel they could escape through.

Each participant writes a private note with a unique marker; the other participant's view of every
channel — pages, API, e-mails, calendar feeds, exports, search — and the organiser's and the admin's
views must not contain it. The feedback to a mentor (private to the two of them) is checked alongside
where organisers and admins could see it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.mentoring import attendance, debriefs, services
from openhelp.help.mentoring.models import AttendanceKind, PrivateNote, Session
from openhelp.help.officehours.changes import reschedule_booking
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_officehours import OfficeHoursFactory, PersonalCalendarFactory, book, first_slot
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db

MENTOR_SECRET = "ZEBRA-mentor-private-7731"
MENTEE_SECRET = "OKAPI-mentee-private-4410"
FEEDBACK = "WALRUS-feedback-to-mentor-9020"


@pytest.fixture
def booked(mentee, mentor, skill, django_capture_on_commit_callbacks):
    """A real booked session (made by the booking flow), both private notes written, the shared notes
    and a debrief with takeaways (published, with consent) and private feedback."""
    block = OfficeHoursFactory(mentor=mentor, skills=[skill])
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee, skip=2, topic="Query plans")
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()  # the worker makes the session from the booking
    session = Session.objects.get(booking=booking)
    services.save_private_note(session=session, author=mentor, body=f"Mentor thinks: {MENTOR_SECRET}")
    services.save_private_note(session=session, author=mentee, body=f"Mentee thinks: {MENTEE_SECRET}")
    services.save_shared_notes(session=session, author=mentee, body="Read plans bottom-up.", version=0)
    return session


def secrets_in(text: str) -> set[str]:
    return {marker for marker in (MENTOR_SECRET, MENTEE_SECRET) if marker in text}


def debriefed(session, time_travel):
    time_travel.move_to(session.ends_at + dt.timedelta(minutes=5))
    debriefs.record_debrief(
        session=session,
        actor=session.mentee,
        takeaways=["Read plans bottom-up"],
        rating=5,
        feedback_to_mentor=FEEDBACK,
        consents_to_publish=True,
    )
    debriefs.record_debrief(session=session, actor=session.mentor, consents_to_publish=True)


def test_it_keeps_each_note_off_the_other_participants_pages(booked, mentee_client, mentor_client):
    detail = reverse("mentoring:detail", args=[booked.pk])
    assert secrets_in(mentee_client.get(detail).content.decode()) == {MENTEE_SECRET}
    assert secrets_in(mentor_client.get(detail).content.decode()) == {MENTOR_SECRET}
    for url in (reverse("mentoring:debrief", args=[booked.pk]), reverse("mentoring:list")):
        assert secrets_in(mentee_client.get(url).content.decode()) == set()
        assert secrets_in(mentor_client.get(url).content.decode()) == set()


def test_it_keeps_each_note_out_of_the_other_participants_api(booked, mentee, mentor):
    for user, own, theirs in ((mentee, MENTEE_SECRET, MENTOR_SECRET), (mentor, MENTOR_SECRET, MENTEE_SECRET)):
        client = APIClient()
        client.force_authenticate(user)
        for name in (
            "sessions-detail",
            "sessions-agenda",
            "sessions-shared-notes",
            "sessions-debrief",
            "sessions-attendance",
        ):
            body = client.get(reverse(f"api:{name}", args=[booked.pk])).content.decode()
            assert secrets_in(body) == set(), name
        body = client.get(reverse("api:sessions-list")).content.decode()
        assert secrets_in(body) == set()
        body = client.get(reverse("api:sessions-private-notes", args=[booked.pk])).content.decode()
        assert own in body and theirs not in body


def test_it_keeps_notes_from_outsiders_and_organisers(booked, stranger, organiser):
    for user in (stranger, organiser):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(reverse("api:sessions-private-notes", args=[booked.pk])).status_code == 404
        web = Client()
        web.force_login(user)
        assert web.get(reverse("mentoring:detail", args=[booked.pk])).status_code == 404


def test_it_keeps_notes_and_feedback_out_of_the_organiser_pages(booked, organiser_client, time_travel):
    debriefed(booked, time_travel)
    page = organiser_client.get(reverse("mentoring:organiser")).content.decode()
    assert secrets_in(page) == set() and FEEDBACK not in page


def test_it_keeps_notes_and_feedback_out_of_the_admin(booked, time_travel):
    debriefed(booked, time_travel)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert PrivateNote not in admin_site._registry
    pages = [
        reverse("admin:mentoring_session_changelist"),
        reverse("admin:mentoring_session_change", args=[booked.pk]),
        reverse("admin:mentoring_debrief_changelist"),
        reverse("admin:mentoring_debrief_change", args=[booked.debrief.pk]),
        reverse("admin:index"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert secrets_in(page) == set() and FEEDBACK not in page, url
    assert client.get("/admin/mentoring/privatenote/").status_code == 404
    # the admin's search does not look into private notes (it echoes the query, so count the results)
    search = client.get(reverse("admin:mentoring_session_changelist"), {"q": MENTOR_SECRET}).content.decode()
    assert "0 results" in search and "Query plans" not in search


def test_it_keeps_notes_out_of_every_email_and_notification(
    booked, mentee, mentor, time_travel, django_capture_on_commit_callbacks
):
    block = booked.booking.slot.office_hours
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(
            booking=booked.booking,
            actor=mentee,
            office_hours=block,
            start=first_slot(block, skip=4).start,
            reason="Clash",
        )
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()  # the session follows the booking to its new time
    booked.refresh_from_db()
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        attendance.report_attendance(session=booked, reporter=mentor, kind=AttendanceKind.HAPPENED)
        other = Session.objects.create(
            mentee=mentee, mentor=mentor, title="Second", starts_at=booked.starts_at, ends_at=booked.ends_at
        )
        attendance.report_attendance(session=other, reporter=mentee, kind=AttendanceKind.NO_SHOW)
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()

    assert mail.outbox, "the flows above send e-mails"
    assert Notification.objects.filter(event="session.debrief_reminder").exists()
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _ in getattr(message, "alternatives", [])]
        parts += [str(attachment[1]) for attachment in message.attachments if isinstance(attachment, tuple)]
        assert secrets_in("\n".join(parts)) == set(), message.subject
    for notification in Notification.objects.all():
        text = f"{notification.title} {notification.body} {json.dumps(notification.context)}"
        assert secrets_in(text) == set()


def test_it_keeps_notes_out_of_calendar_feeds_and_invites(booked, mentee, mentor, mentee_client):
    for user in (mentee, mentor):
        calendar = PersonalCalendarFactory(user=user)
        feed = Client().get(reverse("officehours:feed", args=[calendar.feed_key, calendar.feed_secret]))
        assert feed.status_code == 200
        assert "Query plans" in feed.content.decode()
        assert secrets_in(feed.content.decode()) == set()
    invite = mentee_client.get(reverse("officehours:booking-ics", args=[booked.booking_id]))
    assert invite.status_code == 200 and secrets_in(invite.content.decode()) == set()


def test_it_exports_only_my_own_private_notes(booked, mentee, mentor, mentee_client, mentor_client):
    mentee_export = json.loads(mentee_client.get(reverse("mentoring:export")).content)
    mentor_export = json.loads(mentor_client.get(reverse("mentoring:export")).content)
    assert MENTEE_SECRET in mentee_export["sessions"][0]["my_private_notes"]
    assert secrets_in(json.dumps(mentee_export)) == {MENTEE_SECRET}
    assert secrets_in(json.dumps(mentor_export)) == {MENTOR_SECRET}
    for user, marker in ((mentee, MENTEE_SECRET), (mentor, MENTOR_SECRET)):
        client = APIClient()
        client.force_authenticate(user)
        assert secrets_in(client.get(reverse("api:sessions-export")).content.decode()) == {marker}


def test_it_keeps_notes_out_of_search(booked, mentee_client, mentor_client, stranger_client, time_travel):
    for client in (mentee_client, mentor_client):
        for marker in (MENTOR_SECRET, MENTEE_SECRET):
            page = client.get(reverse("mentoring:list"), {"q": marker}).content.decode()
            assert "No session matches" in page
    assert "Query plans" in mentee_client.get(reverse("mentoring:list"), {"q": "bottom-up"}).content.decode()

    debriefed(booked, time_travel)
    for client in (mentee_client, stranger_client):
        for marker in (MENTOR_SECRET, MENTEE_SECRET, FEEDBACK):
            page = client.get(reverse("library:list"), {"q": marker}).content.decode()
            assert marker not in page.replace(f'value="{marker}"', "").replace(f"“{marker}”", "")
        page = client.get(reverse("library:list"), {"q": "bottom-up"}).content.decode()
        assert "Read plans bottom-up" in page
        assert secrets_in(page) == set() and FEEDBACK not in page


def test_it_keeps_notes_off_profiles(booked, mentee, mentor, stranger_client, time_travel):
    debriefed(booked, time_travel)
    for user in (mentee, mentor):
        page = stranger_client.get(reverse("people:detail", args=[user.profile.pk])).content.decode()
        assert secrets_in(page) == set() and FEEDBACK not in page


def test_it_never_prints_a_private_note(booked):
    note = PrivateNote.objects.get(session=booked, author=booked.mentor)
    assert MENTOR_SECRET not in str(note) and MENTOR_SECRET not in repr(note)
