"""Capacity left this week, and the services' own checks (they are the one door for every change)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from openhelp.directory.people.capacity import (
    Capacity,
    capacity_left,
    current_week,
    register_capacity_source,
    unregister_capacity_source,
)
from openhelp.directory.people.models import Profile, SkillOffer
from openhelp.directory.people.services import (
    OfferedSkill,
    create_profile,
    update_open_to_help,
    update_profile,
)
from tests.factories import OpenToHelpProfileFactory, ProfileFactory, SkillOfferFactory
from tests.harness.queries import count_queries


@pytest.fixture
def used_sessions():
    """A capacity source backed by a dict, registered for one test (it queries once, like a real one)."""
    used: dict[int, int] = {}
    calls: list[tuple] = []

    def source(profile_ids, week_start, week_end):
        calls.append((tuple(profile_ids), week_start, week_end))
        list(Profile.objects.filter(pk__in=profile_ids).values_list("pk"))
        return {pk: used[pk] for pk in profile_ids if pk in used}

    register_capacity_source(source)
    yield used, calls
    unregister_capacity_source(source)


@pytest.mark.parametrize(
    "capacity, text",
    [
        (Capacity(sessions_per_week=3, minutes_per_week=None, sessions_used=1), "2 of 3 sessions left"),
        (Capacity(sessions_per_week=3, minutes_per_week=None, sessions_used=0), "3 of 3 sessions left"),
        (Capacity(sessions_per_week=1, minutes_per_week=None, sessions_used=0), "1 of 1 session left"),
        (Capacity(sessions_per_week=2, minutes_per_week=None, sessions_used=5), "No sessions left this week"),
        (Capacity(sessions_per_week=None, minutes_per_week=90), "Up to 90 minutes a week"),
        (Capacity(sessions_per_week=None, minutes_per_week=None), ""),
    ],
)
def test_it_words_the_capacity_left(capacity, text):
    assert capacity.text == text


def test_it_counts_zero_sessions_used_when_no_source_reports_any(db):
    profile = OpenToHelpProfileFactory(sessions_per_week=3)
    assert capacity_left([profile])[profile.pk].text == "3 of 3 sessions left"


@time_machine.travel(dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC), tick=False)
def test_it_sums_registered_sources_over_this_week(db, used_sessions):
    used, calls = used_sessions
    busy, free = OpenToHelpProfileFactory(sessions_per_week=3), OpenToHelpProfileFactory(sessions_per_week=2)
    used[busy.pk] = 1
    result = capacity_left([busy, free])
    assert result[busy.pk].text == "2 of 3 sessions left"
    assert result[free.pk].text == "2 of 2 sessions left"
    assert calls[0][1:] == current_week()
    assert current_week() == (
        dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
    )


def test_it_computes_capacity_for_a_page_in_constant_queries(db, used_sessions):
    few = [OpenToHelpProfileFactory() for _ in range(2)]
    many = few + [OpenToHelpProfileFactory() for _ in range(20)]
    assert count_queries(lambda: capacity_left(few)) == count_queries(lambda: capacity_left(many))


def test_it_renders_the_badge_with_capacity(db, used_sessions):
    used, _ = used_sessions
    profile = OpenToHelpProfileFactory(sessions_per_week=3)
    used[profile.pk] = 1
    html = render_to_string(
        "people/_badge.html", {"profile": profile, "capacity": capacity_left([profile])[profile.pk]}
    )
    assert html.strip() == '<span class="badge open">Open to help · 2 of 3 sessions left</span>'
    closed = ProfileFactory(open_to_help=False)
    assert render_to_string("people/_badge.html", {"profile": closed}).strip() == ""


def test_it_renders_a_person_card_without_capacity(db):
    offer = SkillOfferFactory(level=4, skill__name="Rust", profile__display_name="Ada Lovelace")
    html = render_to_string("people/_person_card.html", {"profile": offer.profile})
    assert "Ada Lovelace" in html
    assert "Rust" in html and "4/5" in html and "can teach it in depth" in html
    assert "Open to help</span>" in html


def test_the_service_refuses_duplicate_skills_and_changes_nothing(db, skills):
    profile = ProfileFactory()
    with pytest.raises(ValidationError) as caught:
        update_open_to_help(
            profile=profile,
            open_to_help=True,
            formats=["async"],
            sessions_per_week=2,
            minutes_per_week=None,
            paused_until=None,
            skills_offered=[
                OfferedSkill(skill=skills["python"], level=3),
                OfferedSkill(skill=skills["python"], level=4),
            ],
        )
    assert "skills_offered" in caught.value.message_dict
    profile.refresh_from_db()
    assert profile.open_to_help is False  # the whole save rolled back
    assert not SkillOffer.objects.exists()


def test_the_service_refuses_a_level_outside_one_to_five(db, skills):
    profile = ProfileFactory()
    with pytest.raises(ValidationError):
        update_open_to_help(
            profile=profile,
            open_to_help=True,
            formats=[],
            sessions_per_week=None,
            minutes_per_week=None,
            paused_until=None,
            skills_offered=[OfferedSkill(skill=skills["python"], level=0)],
        )
    assert not SkillOffer.objects.exists()


def test_the_service_validates_profile_fields_with_the_model_rules(db):
    profile = ProfileFactory(timezone="Europe/Berlin")
    with pytest.raises(ValidationError) as caught:
        update_profile(profile=profile, timezone="Mars/Olympus", meeting_link="javascript:alert(1)")
    assert set(caught.value.message_dict) == {"timezone", "meeting_link"}
    assert Profile.objects.get(pk=profile.pk).timezone == "Europe/Berlin"


def test_create_profile_is_idempotent(db):
    from tests.factories import UserFactory

    user = UserFactory(with_profile=False)
    first = create_profile(user=user, display_name="  ", timezone="Asia/Tokyo")
    again = create_profile(user=user, display_name="Other")
    assert first.pk == again.pk
    assert first.display_name == user.email.split("@")[0]
