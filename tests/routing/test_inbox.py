"""The mentor's inbox and the mentee's suggestions page, from every side."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.help.asks.models import AskState
from openhelp.help.routing import services
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.platform.lib.clock import now
from tests.factories_routing import OfferFactory, make_mentor, make_offers, open_ask, profile_of
from tests.harness.access import Row, assert_access_matrix
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(skills, mentee, owner):
    """An ask by someone else offered to the owner (as a mentor) and to one more mentor."""
    profile_of(owner).skills_offered.create(skill=skills["django"], level=4)
    type(profile_of(owner)).objects.filter(user=owner).update(open_to_help=True, sessions_per_week=3)
    other = make_mentor(skills["django"], name="Other mentor")
    ask = open_ask(skills=[skills["django"]], title="Read my migration plan", objective="ship the migration")
    ask.preparation_questions = ["Which lock does ALTER TABLE take?"]
    ask.save()
    services.route_ask(ask=ask)
    mine = Offer.objects.get(ask=ask, mentor=owner)
    theirs = Offer.objects.get(ask=ask, mentor=other)
    return SimpleNamespace(ask=ask, mine=mine, theirs=theirs, other=other)


def test_the_inbox_shows_what_is_needed_to_decide(owner_client, offered):
    response = owner_client.get(reverse("routing:inbox"))

    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Read my migration plan",
        "ship the migration",
        "Which lock does ALTER TABLE take?",
        "Django",
        "30-minute call",
        "Needed this week",
        "Your time this week",
        "Why you",
        "Accept",
        "Not my area",
        "No time this week",
    ]:
        assert text in page, text
    assert "3 of 3 sessions left this week" in page
    assert 'name="until"' in page


def test_an_inbox_card_reads_and_answers_like_the_card_on_today(owner_client, offered):
    # One offer card: the same words and the same two buttons on Today and in the inbox, the ask's title
    # said to screen readers rather than squeezed into the button.
    page = " ".join(owner_client.get(reverse("routing:inbox")).content.decode().split())

    assert "<strong>By the end they can:</strong> ship the migration" in page
    assert 'Accept<span class="visually-hidden"> “Read my migration plan”</span>' in page
    assert '<summary class="btn btn-secondary">Decline<span class="visually-hidden">' in page
    assert '<li class="chip">Django</li>' in page
    assert "Objective (“by the end I can …”)" not in page


@pytest.mark.parametrize("page_name", ["routing:inbox", "today:home"])
def test_an_offer_card_says_how_soon_the_help_is_needed_in_words(owner_client, offered, page_name):
    # "From Ann · 30-minute call · This week" left a new mentor guessing: their capacity? a deadline?
    offered.ask.needed_by = dt.date(2026, 12, 11)
    offered.ask.save(update_fields=["needed_by"])

    page = " ".join(owner_client.get(reverse(page_name)).content.decode().split())

    assert "30-minute call · Needed this week, by Fri 11 Dec</p>" in page
    assert "· This week" not in page


@pytest.mark.parametrize("page_name", ["routing:inbox", "today:home"])
def test_both_offer_cards_draw_the_skills_and_the_summary_line_from_one_include(
    owner_client, offered, page_name
):
    response = owner_client.get(reverse(page_name))

    used = {template.name for template in response.templates}
    assert {"routing/_ask_skills.html", "routing/_offer_meta.html"} <= used
    assert '<ul class="chips" aria-label="Skills">' in response.content.decode()


def test_the_inbox_has_a_clear_empty_state(outsider_client):
    page = outsider_client.get(reverse("routing:inbox")).content.decode()

    assert "No asks are waiting for you" in page
    assert "You are not open to help" in page


def test_accepting_from_the_inbox_takes_the_ask(owner_client, owner, offered):
    response = owner_client.post(reverse("routing:accept", args=[offered.mine.pk]))

    offered.ask.refresh_from_db()
    assert response.status_code == 302
    assert offered.ask.state == AskState.ACCEPTED and offered.ask.helper == owner


def test_accepting_a_taken_ask_says_so_politely(owner_client, offered):
    services.accept_offer(offer=offered.theirs, mentor=offered.other)

    response = owner_client.post(reverse("routing:accept", args=[offered.mine.pk]), follow=True)

    assert "Someone else accepted this ask a moment ago" in response.content.decode()


def test_declining_with_a_reason_passes_the_ask_on(owner_client, offered):
    response = owner_client.post(
        reverse("routing:decline", args=[offered.mine.pk]), {"reason": DeclineReason.NO_TIME, "note": ""}
    )

    assert response.status_code == 302
    mine = Offer.objects.get(pk=offered.mine.pk)
    assert (mine.state, mine.decline_reason) == (OfferState.DECLINED, DeclineReason.NO_TIME)


def test_declining_as_other_without_a_note_keeps_what_was_typed(owner_client, offered):
    response = owner_client.post(
        reverse("routing:decline", args=[offered.mine.pk]), {"reason": "other", "note": " "}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Say in a few words why" in page
    assert 'value="other" ' in page and "checked" in page
    assert Offer.objects.get(pk=offered.mine.pk).state == OfferState.PENDING


def test_pause_me_from_the_inbox(owner_client, owner, offered):
    until = now().date() + dt.timedelta(days=10)

    response = owner_client.post(reverse("routing:pause"), {"until": until.isoformat()}, follow=True)

    page = response.content.decode()
    assert profile_of(owner).paused_until == until
    assert "1 waiting offer passed on politely" in page
    assert "Resume now" in page
    assert Offer.objects.get(pk=offered.mine.pk).decline_reason == DeclineReason.PAUSED

    owner_client.post(reverse("routing:resume"))
    assert profile_of(owner).paused_until is None


def test_pause_me_with_a_past_day_shows_the_error_next_to_the_field(owner_client, owner):
    yesterday = now().date() - dt.timedelta(days=1)

    response = owner_client.post(reverse("routing:pause"), {"until": yesterday.isoformat()})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a date after today" in page
    assert f'value="{yesterday.isoformat()}"' in page
    assert profile_of(owner).paused_until is None


def test_the_mentee_sees_the_best_suggestions_with_reasons(owner_client, skills, mentee):
    make_mentor((skills["django"], 5), name="Dana Django")
    ask = open_ask(skills=[skills["django"]], mentee=mentee, state=AskState.DRAFT)

    page = owner_client.get(reverse("routing:suggestions", args=[ask.pk])).content.decode()

    assert "Dana Django" in page
    assert "level 5" in page
    assert "?directed_to=" in page


def test_suggestions_have_an_empty_state(owner_client, skills, mentee):
    ask = open_ask(skills=[skills["negotiation"]], mentee=mentee)

    page = owner_client.get(reverse("routing:suggestions", args=[ask.pk])).content.decode()

    assert "Nobody who offers these skills has time right now" in page


def test_the_inbox_costs_the_same_queries_for_ten_or_many_offers(skills, owner, owner_client):
    def grow(n):
        make_offers(n // 2, mentor=owner, skills=[skills["django"]])
        make_offers(n - n // 2, mentor=owner, skills=[skills["django"]], state=OfferState.DECLINED)

    assert_constant_queries(grow=grow, action=lambda: owner_client.get(reverse("routing:inbox")), large=120)


def test_the_access_matrix(skills, owner, outsider, mentee, offered):
    own_ask = open_ask(skills=[skills["django"]], mentee=mentee)
    second = OfferFactory(mentor=owner)
    third = OfferFactory(mentor=owner)
    world = SimpleNamespace(
        offer=offered.mine,
        second=second,
        third=third,
        ask=own_ask,
        clients={"anonymous": Client(), "owner": _client(owner), "outsider": _client(outsider)},
    )
    rows = [
        Row("GET", lambda w: reverse("routing:inbox"), {"anonymous": 302, "owner": 200, "outsider": 200}),
        Row(
            "GET",
            lambda w: reverse("routing:offer", args=[w.offer.pk]),
            {"anonymous": 302, "owner": 200, "outsider": 404},
        ),
        Row(
            "POST",
            lambda w: reverse("routing:accept", args=[w.second.pk]),
            {"anonymous": 302, "outsider": 404, "owner": 302},
        ),
        Row(
            "POST",
            lambda w: reverse("routing:decline", args=[w.third.pk]),
            {"anonymous": 302, "outsider": 404, "owner": 302},
            data={"reason": "no_time"},
        ),
        Row("GET", lambda w: reverse("routing:accept", args=[w.offer.pk]), {"owner": 405}),
        Row(
            "POST",
            lambda w: reverse("routing:pause"),
            {"anonymous": 302, "outsider": 200},
            data={"until": ""},
        ),
        Row("POST", lambda w: reverse("routing:resume"), {"anonymous": 302, "outsider": 302}),
        Row(
            "GET",
            lambda w: reverse("routing:suggestions", args=[w.ask.pk]),
            {"anonymous": 302, "owner": 200, "outsider": 404},
        ),
        Row("GET", lambda w: reverse("routing:suggestions", args=[999_999]), {"owner": 404}),
        Row("GET", lambda w: reverse("routing:offer", args=[999_999]), {"owner": 404}),
    ]
    assert_access_matrix(rows, world)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
