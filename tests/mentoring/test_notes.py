"""Shared notes keep everybody's words (optimistic versioning); private notes are their author's alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.help.mentoring import services
from openhelp.help.mentoring.models import PrivateNote, SharedNote
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(mentee, mentor):
    return SessionFactory(mentee=mentee, mentor=mentor)


def test_it_saves_shared_notes_and_raises_the_version(session, mentee, mentor):
    note = services.save_shared_notes(session=session, author=mentee, body="First line", version=0)
    assert (note.body, note.version, note.updated_by) == ("First line", 1, mentee)
    note = services.save_shared_notes(session=session, author=mentor, body="First line\nSecond", version=1)
    assert note.version == 2


def test_it_never_overwrites_a_newer_save(session, mentee, mentor):
    services.save_shared_notes(session=session, author=mentee, body="Mentee's words", version=0)
    with pytest.raises(services.SharedNotesConflict) as caught:
        services.save_shared_notes(session=session, author=mentor, body="Mentor's words", version=0)
    assert caught.value.current.body == "Mentee's words"
    assert caught.value.yours == "Mentor's words"
    assert SharedNote.objects.get(session=session).body == "Mentee's words"


def test_it_accepts_a_stale_save_that_changes_nothing(session, mentee, mentor):
    services.save_shared_notes(session=session, author=mentee, body="Same", version=0)
    note = services.save_shared_notes(session=session, author=mentor, body="Same", version=0)
    assert note.version == 1


def test_it_shows_both_texts_side_by_side_on_a_conflict(session, mentee, mentor_client):
    services.save_shared_notes(session=session, author=mentee, body="Mentee typed this", version=0)
    response = mentor_client.post(
        reverse("mentoring:shared-notes", args=[session.pk]), {"body": "Mentor typed that", "version": "0"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "data-their-version>Mentee typed this<" in page
    assert "data-your-version>Mentor typed that<" in page
    assert "Nico Mentee saved the notes while you were writing" in page
    # the box keeps the mentor's text and now carries the current version, so the merge saves
    assert ">\nMentor typed that</textarea>" in page
    assert 'name="version" value="1"' in page
    response = mentor_client.post(
        reverse("mentoring:shared-notes", args=[session.pk]),
        {"body": "Mentee typed this\nMentor typed that", "version": "1"},
    )
    assert response.status_code == 302
    assert SharedNote.objects.get(session=session).body == "Mentee typed this\nMentor typed that"


def test_it_refuses_notes_that_are_too_long_and_keeps_the_text(session, mentee_client):
    body = "x" * 20_001
    response = mentee_client.post(
        reverse("mentoring:shared-notes", args=[session.pk]), {"body": body, "version": "0"}
    )
    assert response.status_code == 400
    assert body in response.content.decode()
    assert SharedNote.objects.get(session=session).body == ""


def test_it_keeps_private_notes_for_their_author(session, mentee, mentor, mentee_client, mentor_client):
    response = mentor_client.post(
        reverse("mentoring:private-notes", args=[session.pk]), {"body": "Mentor only: nervous about stats"}
    )
    assert response.status_code == 302
    mentee_client.post(
        reverse("mentoring:private-notes", args=[session.pk]), {"body": "Mentee only: ask about Bayes"}
    )

    assert PrivateNote.objects.get(session=session, author=mentor).body == "Mentor only: nervous about stats"
    mentor_page = mentor_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    mentee_page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "Mentor only: nervous about stats" in mentor_page
    assert "Mentee only: ask about Bayes" not in mentor_page
    assert "Mentee only: ask about Bayes" in mentee_page
    assert "Mentor only: nervous about stats" not in mentee_page


def test_it_reads_no_private_note_for_someone_else(session, mentor, stranger):
    services.save_private_note(session=session, author=mentor, body="Secret")
    assert services.private_note_of(session=session, user=stranger) is None
    assert services.private_note_of(session=session, user=session.mentee) is None
