"""Editing a profile on the web: every bad input gets its own message and nothing typed is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.people.models import Profile
from tests.factories import TeamFactory
from tests.factories_people import language
from tests.people import messages


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "Olivia Owner",
        "headline": "Data engineer who loves SQL",
        "bio": "I tune **PostgreSQL** queries.",
        "team": "",
        "location": "Lisbon",
        "timezone": "Europe/Lisbon",
        "languages": [],
        "avatar_initials": "OO",
        "avatar_colour": "#1a7f5a",
        "meeting_link": "https://meet.example.org/olivia",
        "working_hours_start": "08:30",
        "working_hours_end": "16:30",
    }
    data.update(overrides)
    return data


def test_it_saves_a_profile_and_shows_it(owner_client, owner):
    team = TeamFactory(name="Data Platform", slug="data-platform")
    languages = [language("en"), language("pt")]
    response = owner_client.post(
        reverse("people:edit"), profile_data(team=team.pk, languages=[lang.pk for lang in languages])
    )
    profile = Profile.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[profile.pk])
    assert profile.headline == "Data engineer who loves SQL"
    assert profile.team == team
    assert profile.timezone == "Europe/Lisbon"
    assert set(profile.languages.values_list("code", flat=True)) == {"en", "pt"}
    page = owner_client.get(response["Location"]).content.decode()
    assert "<strong>PostgreSQL</strong>" in page
    assert "Data Platform" in page
    assert "English, Portuguese" in page


def test_it_offers_the_time_zones_as_a_datalist(owner_client):
    page = owner_client.get(reverse("people:edit")).content.decode()
    assert 'list="timezone-options"' in page
    assert '<option value="America/New_York">' in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("timezone", "Mars/Olympus", messages.UNKNOWN_TIMEZONE),
        ("meeting_link", "javascript:alert(document.cookie)", messages.JAVASCRIPT_LINK),
        ("meeting_link", "http://meet.example.org/olivia", messages.HTTP_LINK),
        ("bio", "x" * 4001, messages.BIO_TOO_LONG),
        ("avatar_colour", "red", messages.BAD_COLOUR),
        ("working_hours_end", "07:00", messages.HOURS_REVERSED),
        # Ids no database integer holds: SQLite could not even send them (OverflowError, a 500).
        ("languages", "99999999999999999999", messages.NO_SUCH_LANGUAGE.format("99999999999999999999")),
        ("languages", "-9223372036854775809", messages.NO_SUCH_LANGUAGE.format("-9223372036854775809")),
    ],
)
def test_it_rejects_bad_input_with_a_specific_error_and_keeps_the_rest(
    owner_client, owner, field, value, message
):
    before = Profile.objects.get(user=owner)
    response = owner_client.post(reverse("people:edit"), profile_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert message in page
    # Everything else the person typed is still in the form.
    assert 'value="Data engineer who loves SQL"' in page
    assert 'value="Lisbon"' in page
    assert 'value="https://meet.example.org/olivia"' in page or field == "meeting_link"
    assert "I tune **PostgreSQL** queries." in page or field == "bio"
    assert 'value="08:30"' in page
    after = Profile.objects.get(user=owner)
    assert (after.headline, after.timezone, after.bio) == (before.headline, before.timezone, before.bio)


def test_it_keeps_an_unsafe_link_in_the_form_so_it_can_be_corrected(owner_client):
    response = owner_client.post(
        reverse("people:edit"), profile_data(meeting_link="http://meet.example.org/o")
    )
    assert 'value="http://meet.example.org/o"' in response.content.decode()


def test_it_accepts_a_bio_of_exactly_the_maximum_length(owner_client, owner, settings):
    response = owner_client.post(
        reverse("people:edit"), profile_data(bio="y" * settings.PROFILE_BIO_MAX_CHARS)
    )
    assert response.status_code == 302
    assert len(Profile.objects.get(user=owner).bio) == 4000


def test_it_rejects_more_than_three_initials(owner_client):
    response = owner_client.post(reverse("people:edit"), profile_data(avatar_initials="ABCD"))
    assert "avatar_initials" in response.context["form"].errors


def test_it_renders_the_bio_without_scripts_or_javascript_links(owner_client, owner):
    bio = "Hello <script>alert('x')</script> and [click me](javascript:alert(1)) <img src=x onerror=alert(2)>"
    response = owner_client.post(reverse("people:edit"), profile_data(bio=bio))
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert "click me" in page


def test_it_shows_the_meeting_link_only_as_https(owner_client, owner):
    owner_client.post(reverse("people:edit"), profile_data())
    page = owner_client.get(reverse("people:me"), follow=True).content.decode()
    assert 'href="https://meet.example.org/olivia"' in page
