"""Moments: logged in seconds, private by default, and the weekly "three moments" challenge with a
streak, counted in the person's own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from openhelp.community.moments import services
from openhelp.community.moments.models import Moment, MomentKind
from openhelp.community.moments.templatetags.moments_tags import shared_moments
from tests.factories_moments import MomentFactory, make_moments
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def at_tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def test_it_logs_a_private_moment_in_one_line(author, friend):
    moment = services.log_moment(
        author=author, kind=MomentKind.FEEDBACK, note="  Reviewed   Finn's deck ", person=friend
    )
    assert moment.note == "Reviewed Finn's deck"
    assert moment.is_public is False and moment.person == friend


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": "gossip"}, "kind", "what kind"),
        ({"note": "   "}, "note", "one line"),
        ({"note": "x" * 201}, "note", "200"),
        ({"occurred_at": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)}, "occurred_at", "future"),
        ({"occurred_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}, "occurred_at", "last 30 days"),
    ],
)
def test_it_refuses_bad_input_with_a_field_error(author, fields, field, words):
    values = {"kind": MomentKind.INSIGHT, "note": "Shared my notes", **fields}
    with pytest.raises(ValidationError) as error:
        services.log_moment(author=author, **values)
    assert words in error.value.message_dict[field][0]


def test_a_moment_is_for_someone_else(author):
    with pytest.raises(ValidationError) as error:
        services.log_moment(author=author, kind=MomentKind.INSIGHT, note="Talked to myself", person=author)
    assert "someone else" in error.value.message_dict["person"][0]


def test_the_page_logs_a_moment_with_a_person_by_name(author_client, author, friend):
    response = author_client.post(
        reverse("moments:list"), {"kind": "encouragement", "note": "Cheered Finn on", "person": "finn friend"}
    )
    assert response.status_code == 302
    assert Moment.objects.get(author=author).person == friend
    page = author_client.get(reverse("moments:list")).content.decode()
    assert "Cheered Finn on" in page and "1 of 3 moments this week" in page


def test_the_page_keeps_what_was_typed_on_an_unknown_person(author_client):
    response = author_client.post(
        reverse("moments:list"),
        {"kind": "encouragement", "note": "Cheered someone", "person": "Nobody Known"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "We don&#x27;t know anyone called “Nobody Known”" in page and "Cheered someone" in page
    assert not Moment.objects.exists()


def test_a_moment_without_its_line_asks_for_it_in_words_and_keeps_the_person(author_client, friend):
    response = author_client.post(
        reverse("moments:list"), {"kind": "encouragement", "note": "", "person": "finn friend"}
    )
    assert response.context["form"].errors == {"note": ["Say in one line what happened."]}
    assert 'value="finn friend"' in response.content.decode()
    assert not Moment.objects.exists()


def test_a_future_day_is_refused_next_to_the_date(author_client):
    page = author_client.post(
        reverse("moments:list"), {"kind": "insight", "note": "Later", "occurred_on": "2999-01-01"}
    ).content.decode()
    assert "cannot be in the future" in page
    assert not Moment.objects.exists()


def test_the_page_prefills_the_person_from_a_profile_link(author_client, friend):
    page = author_client.get(reverse("moments:list"), {"with": friend.pk}).content.decode()
    assert 'value="Finn Friend"' in page


def test_the_page_has_an_empty_state(author_client):
    assert "No moments yet" in author_client.get(reverse("moments:list")).content.decode()


def test_private_moments_are_never_seen_by_anyone_else(author, friend, friend_client, organiser_client):
    private = MomentFactory(author=author, person=friend, note="PRIVATE-MOMENT")
    MomentFactory(author=author, person=friend, note="PUBLIC-MOMENT", is_public=True)
    profile = reverse("people:detail", args=[author.profile.pk])
    for client in (friend_client, organiser_client):
        assert client.get(reverse("moments:edit", args=[private.pk])).status_code == 404
        assert client.post(reverse("moments:delete", args=[private.pk])).status_code == 404
        for url in (profile, reverse("recognition:feed"), reverse("moments:list")):
            assert "PRIVATE-MOMENT" not in client.get(url).content.decode()
    assert Moment.objects.filter(pk=private.pk).exists()


def test_a_public_moment_shows_on_the_profile_without_the_person(author, friend, third_client):
    MomentFactory(author=author, person=friend, note="Showed how I plan sprints", is_public=True)
    page = third_client.get(reverse("people:detail", args=[author.profile.pk])).content.decode()
    assert "Showed how I plan sprints" in page
    assert "Finn Friend" not in page


def test_the_author_edits_and_deletes_a_moment(author_client, author):
    moment = MomentFactory(author=author, note="Old")
    response = author_client.post(
        reverse("moments:edit", args=[moment.pk]), {"kind": "question", "note": "New", "is_public": "on"}
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert (moment.kind, moment.note, moment.is_public) == ("question", "New", True)
    author_client.post(reverse("moments:delete", args=[moment.pk]))
    assert not Moment.objects.exists()


def test_the_challenge_counts_the_week_in_the_persons_time_zone(author):
    # Monday 2 June 2025 19:00 in Tokyo is still Monday 10:00 UTC; Sunday 23:00 UTC is Monday in Tokyo.
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        MomentFactory(author=author, occurred_at=at_tokyo(2025, 6, 2, 8, 0))  # Sunday 23:00 UTC
        MomentFactory(author=author, occurred_at=at_tokyo(2025, 6, 1, 20, 0))  # last week in Tokyo
        challenge = services.challenge_for(user=author)
    assert challenge.week_start == dt.date(2025, 6, 2)
    assert challenge.this_week == 1 and challenge.remaining == 2 and not challenge.done


def test_the_streak_counts_weeks_that_reached_three_moments(author):
    with time_machine.travel(dt.datetime(2025, 6, 4, 3, 0, tzinfo=dt.UTC), tick=False):
        for week_ago in (1, 2):
            for day in range(3):
                MomentFactory(
                    author=author, occurred_at=at_tokyo(2025, 6, 2 + day, 9) - dt.timedelta(weeks=week_ago)
                )
        for day in range(2):  # three weeks ago: only two, so the streak stops there
            MomentFactory(author=author, occurred_at=at_tokyo(2025, 5, 12 + day, 9))
        MomentFactory(author=author, occurred_at=at_tokyo(2025, 6, 3, 9))
        in_progress = services.challenge_for(user=author)
        assert (in_progress.this_week, in_progress.streak) == (1, 2)
        assert "1 of 3 moments this week — 2 to go. Streak: 2 weeks in a row." == in_progress.text
        make_moments(2, author=author)
        done = services.challenge_for(user=author)
    assert done.done and done.streak == 3


def test_a_missed_week_resets_the_streak(author):
    with time_machine.travel(dt.datetime(2025, 6, 4, 3, 0, tzinfo=dt.UTC), tick=False):
        for day in range(3):
            MomentFactory(author=author, occurred_at=at_tokyo(2025, 5, 19 + day, 9))  # two weeks ago
        assert services.challenge_for(user=author).streak == 0


def test_the_moments_page_costs_the_same_queries_at_any_size(author, friend, author_client):
    assert_constant_queries(
        grow=lambda n: make_moments(n, author=author, person=friend),
        action=lambda: author_client.get(reverse("moments:list")),
    )


def test_the_profile_costs_the_same_queries_however_many_public_moments(author, third_client):
    url = reverse("people:detail", args=[author.profile.pk])
    assert_constant_queries(
        grow=lambda n: make_moments(n, author=author, public=True), action=lambda: third_client.get(url)
    )


@pytest.mark.parametrize(("public", "private", "shown"), [(0, 2, 0), (2, 5, 2), (3, 1, 3), (7, 4, 3)])
def test_the_profile_counts_public_moments_and_shows_the_latest_three(author, public, private, shown):
    """Fewer than three public moments are all of them (no count is read); more are counted."""
    make_moments(private, author=author)
    make_moments(public, author=author, public=True)
    shared = shared_moments(author)
    assert shared["count"] == public
    assert [m.note for m in shared["latest"]] == [f"Moment {i}" for i in range(shown)]
