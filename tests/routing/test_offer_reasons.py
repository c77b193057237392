"""'Why you' on an offer and the inbox's meter: one computation of the capacity left, one wording."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from openhelp.directory.people.capacity import Capacity
from openhelp.help.asks.models import AskState
from openhelp.help.routing.display import capacity_sentence, reasons_for
from openhelp.help.routing.models import OfferState
from tests.factories_asks import ask_in_state
from tests.factories_routing import OfferFactory, profile_of

pytestmark = pytest.mark.django_db

# Mid-week: asks accepted an hour ago fall in this week whatever the hour the suite runs at.
WEDNESDAY = dt.datetime(2026, 12, 9, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _mid_week():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


SNAPSHOT = [
    "Teaches Django at level 4.",
    "Has 1 of 4 sessions left this week; has an office-hours slot free within 3 hours.",
]


@pytest.fixture
def mentor_with_four_sessions(owner, helper_of_two):
    type(profile_of(owner)).objects.filter(user=owner).update(open_to_help=True, sessions_per_week=4)
    return owner


@pytest.fixture
def helper_of_two(owner):
    """Two asks the owner accepted this week: 2 of their 4 sessions are used."""
    for _ in range(2):
        ask_in_state(AskState.ACCEPTED, helper=owner)


def test_the_inbox_and_the_offer_say_the_same_capacity_left(owner_client, mentor_with_four_sessions):
    offer = OfferFactory(mentor=mentor_with_four_sessions, reasons=SNAPSHOT)

    inbox = owner_client.get(reverse("routing:inbox")).content.decode()
    detail = owner_client.get(reverse("routing:offer", args=[offer.pk])).content.decode()

    for page in (inbox, detail):
        assert "1 of 4" not in page  # the snapshot taken when the offer was made
        assert "You have 2 of 4 sessions left this week." in page
        assert "Has an office-hours slot free within 3 hours." in page
        assert "Teaches Django at level 4." in page
    assert '<label for="capacity-meter">2 of 4 sessions left this week</label>' in inbox


def test_an_answered_offer_does_not_show_an_old_capacity(owner_client, mentor_with_four_sessions):
    offer = OfferFactory(mentor=mentor_with_four_sessions, reasons=SNAPSHOT, state=OfferState.DECLINED)

    page = owner_client.get(reverse("routing:offer", args=[offer.pk])).content.decode()

    assert "sessions left this week" not in page
    assert "Teaches Django at level 4." in page


def test_a_full_week_is_said_once(owner_client, owner):
    type(profile_of(owner)).objects.filter(user=owner).update(open_to_help=True, sessions_per_week=1)
    ask_in_state(AskState.ACCEPTED, helper=owner)

    page = owner_client.get(reverse("routing:inbox")).content.decode()

    assert "No sessions left this week" in page
    assert "this week this week" not in page


def test_it_words_the_capacity_like_the_meter():
    assert capacity_sentence(Capacity(sessions_per_week=4, minutes_per_week=None, sessions_used=2)) == (
        "2 of 4 sessions left this week"
    )
    assert capacity_sentence(Capacity(sessions_per_week=1, minutes_per_week=None, sessions_used=1)) == (
        "No sessions left this week"
    )
    assert (
        capacity_sentence(Capacity(sessions_per_week=None, minutes_per_week=90)) == "Up to 90 minutes a week"
    )


def test_it_replaces_or_drops_the_capacity_snapshot():
    left = Capacity(sessions_per_week=4, minutes_per_week=None, sessions_used=3)
    full = Capacity(sessions_per_week=4, minutes_per_week=None, sessions_used=4)

    assert reasons_for(SNAPSHOT, capacity=left, is_open=True) == [
        "Teaches Django at level 4.",
        "You have 1 of 4 sessions left this week.",
        "Has an office-hours slot free within 3 hours.",
    ]
    assert reasons_for(SNAPSHOT, capacity=full, is_open=True) == [
        "Teaches Django at level 4.",
        "Has an office-hours slot free within 3 hours.",
    ]
    assert reasons_for(["has 2 of 3 sessions left this week"], capacity=left, is_open=False) == []
    assert reasons_for(["Usually replies within 2 hours."], capacity=None, is_open=False) == [
        "Usually replies within 2 hours."
    ]
