"""Publishing a debrief to the library: only with both consents, only takeaways and resources."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.library import services
from openhelp.directory.library.models import LibraryEntry
from openhelp.help.mentoring.models import PrivateNote, SharedNote
from tests.factories_mentoring import DebriefFactory, past_session

pytestmark = pytest.mark.django_db

SECRETS = ("SHARED-NOTE-SECRET", "PRIVATE-NOTE-SECRET", "FEEDBACK-SECRET")


@pytest.fixture
def debrief(mentee, mentor, skills):
    session = past_session(mentee=mentee, mentor=mentor, skills=[skills["postgres"], skills["django"]])
    SharedNote.objects.filter(session=session).update(body="SHARED-NOTE-SECRET")
    PrivateNote.objects.create(session=session, author=mentor, body="PRIVATE-NOTE-SECRET")
    return DebriefFactory(
        session=session,
        takeaways=["  Read the   query plan first. ", "", "Index the foreign keys."],
        resources=[
            {"title": "Use the index, Luke", "url": "https://use-the-index-luke.com/"},
            {"title": "Sneaky", "url": "javascript:alert(1)"},
            {"title": "Plain http", "url": "http://example.org/"},
            {"title": "", "url": "https://www.postgresql.org/docs/"},
        ],
        rating=5,
        feedback_to_mentor="FEEDBACK-SECRET",
        mentee_consents_to_publish=True,
        mentor_consents_to_publish=True,
    )


def test_it_copies_only_takeaways_and_resources_with_https_links(debrief, mentor):
    entry = services.publish_from_debrief(debrief=debrief)
    assert entry.takeaways == ["Read the query plan first.", "Index the foreign keys."]
    assert entry.resources == [
        {"title": "Use the index, Luke", "url": "https://use-the-index-luke.com/"},
        {"title": "https://www.postgresql.org/docs/", "url": "https://www.postgresql.org/docs/"},
    ]
    assert entry.title == "Takeaways on Django and PostgreSQL"
    assert entry.mentor == mentor
    assert {s.name for s in entry.skills.all()} == {"Django", "PostgreSQL"}
    stored = str(LibraryEntry.objects.filter(pk=entry.pk).values().get())
    assert not any(secret in stored for secret in SECRETS)


def test_notes_and_feedback_never_reach_the_library_pages_api_or_search(debrief, reader, reader_client):
    entry = services.publish_from_debrief(debrief=debrief)
    api = APIClient()
    api.force_login(reader)
    channels = [
        reader_client.get(reverse("library:list")),
        reader_client.get(reverse("library:detail", args=[entry.pk])),
        reader_client.get(reverse("skills:detail", args=["postgresql"])),
        api.get("/api/v1/library/"),
        api.get(f"/api/v1/library/{entry.pk}/"),
        api.get("/api/v1/library/suggestions/", {"skill": "PostgreSQL"}),
    ]
    for response in channels:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Read the query plan first." in body
        assert not any(secret in body for secret in SECRETS)
    for secret in SECRETS:
        assert reader_client.get(reverse("library:list"), {"q": secret}).context["page"].paginator.count == 0


def test_it_needs_both_consents(debrief):
    debrief.mentor_consents_to_publish = False
    assert services.publish_from_debrief(debrief=debrief) is None
    debrief.mentor_consents_to_publish, debrief.mentee_consents_to_publish = True, False
    assert services.publish_from_debrief(debrief=debrief) is None
    assert not LibraryEntry.objects.exists()


def test_it_publishes_nothing_when_there_is_nothing_to_share(debrief):
    debrief.takeaways, debrief.resources = ["  "], [{"title": "x", "url": "ftp://nope"}]
    assert services.publish_from_debrief(debrief=debrief) is None


def test_publishing_again_updates_the_same_entry(debrief):
    first = services.publish_from_debrief(debrief=debrief)
    debrief.takeaways = ["Only this now."]
    again = services.publish_from_debrief(debrief=debrief)
    assert first.pk == again.pk and LibraryEntry.objects.count() == 1
    assert LibraryEntry.objects.get().takeaways == ["Only this now."]


def test_either_participant_can_withdraw_an_entry_but_nobody_else(debrief, mentee_client, reader_client):
    entry = services.publish_from_debrief(debrief=debrief)
    url = reverse("library:withdraw", args=[entry.pk])
    assert (
        "Take these takeaways out"
        not in reader_client.get(reverse("library:detail", args=[entry.pk])).content.decode()
    )
    assert reader_client.post(url).status_code == 404
    assert LibraryEntry.objects.exists()
    assert (
        "Take these takeaways out"
        in mentee_client.get(reverse("library:detail", args=[entry.pk])).content.decode()
    )
    assert mentee_client.post(url).status_code == 302
    assert not LibraryEntry.objects.exists()


def test_the_entry_credits_the_mentor_but_never_names_the_mentee(debrief, reader_client):
    entry = services.publish_from_debrief(debrief=debrief)
    page = reader_client.get(reverse("library:detail", args=[entry.pk])).content.decode()
    assert "Helped by" in page and "Mira Mentor" in page
    assert "Nico Mentee" not in page
