"""The personal home "Today": every section with data and empty, only the viewer's own things, offers
answered in place (plain POST and htmx), organiser-only alerts, the anonymous introduction."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from openhelp.directory.people.models import Profile
from openhelp.help.asks.models import AskState, Urgency
from openhelp.help.mentoring.models import SessionState
from openhelp.help.routing import services
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.lib.clock import now
from tests.factories import SkillFactory
from tests.factories_asks import AskFactory
from tests.factories_mentoring import DebriefFactory, SessionFactory, past_session
from tests.factories_moments import make_moments
from tests.factories_officehours import OfficeHoursFactory, book
from tests.factories_recognition import KudosFactory
from tests.factories_routing import OfferFactory, make_mentor, make_offers, open_ask, profile_of
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

HOME = "/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_it_shows_the_introduction_to_anonymous_visitors(anonymous_client):
    response = anonymous_client.get(HOME)
    assert response.status_code == 200
    assert response.templates[0].name == "core/home.html"
    assert b"Short, focused help" in response.content
    assert b"Waiting for your answer" not in response.content


def test_the_home_search_shows_its_label_and_examples_in_full(anonymous_client):
    # A long placeholder ("e.g. PostgreSQL, k8s, negotiation") was cut off on a phone: the examples are
    # a hint under the field, tied to it, and the label is visible.
    text = anonymous_client.get(HOME).content.decode()
    field = re.search(r'<input id="home-q"[^>]*>', text).group(0)
    assert "placeholder" not in field
    hint_id = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'<p id="{hint_id}"[^>]*>For example PostgreSQL, k8s or negotiation.</p>', text)
    assert '<label for="home-q">Search people by skill or name</label>' in text


def test_core_home_and_today_home_are_the_same_page():
    assert reverse("today:home") == reverse("core:home") == "/"


def test_it_says_what_to_do_next_when_everything_is_empty(owner_client):
    response = owner_client.get(HOME)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Today</h1>" in text
    assert "Mark yourself open to help" in text
    assert "No open asks." in text and reverse("asks:new") in text
    assert "Nothing in the next two weeks." in text
    assert "Nothing to write up." in text
    assert "When someone helps you in a session" in text
    assert "0 of 3 moments this week" in text
    assert "This week's alerts" not in text


def test_someone_not_open_to_help_sees_their_own_things_before_the_invitation(
    owner, owner_client, django_skill
):
    AskFactory(mentee=owner, title="Tune my slow query", state=AskState.OPEN, skills=[django_skill])
    text = owner_client.get(HOME).content.decode()
    sections = [text.index(f'id="{name}"') for name in ("today-asks", "today-upcoming", "today-debriefs")]
    invitation = text.index('id="today-offers"')
    assert sections == sorted(sections) and invitation > sections[-1]
    assert "Tune my slow query" in text
    assert "Mark yourself open to help" in text  # the invitation is still there, after them
    assert "Waiting for your answer" not in text and "Helping now" not in text  # nothing could be


def test_someone_open_to_help_still_starts_with_what_waits_for_their_answer(owner_client, offer_to_owner):
    text = owner_client.get(HOME).content.decode()
    assert text.index('id="today-offers"') < text.index('id="today-helping"') < text.index('id="today-asks"')
    assert "Waiting for your answer" in text


def test_an_open_mentor_without_offers_hears_how_many_skills_they_offer(owner, owner_client):
    profile = profile_of(owner)
    for name in ("Go", "Rust"):
        profile.skills_offered.create(skill=SkillFactory(name=name), level=3)
    Profile.objects.filter(pk=profile.pk).update(open_to_help=True)
    text = owner_client.get(HOME).content.decode()
    assert "You're open to help on 2 skills" in text
    assert "Mark yourself open to help" not in text


def test_someone_open_to_help_with_no_skill_is_told_to_add_one_and_sees_their_own_work_first(
    owner, owner_client
):
    # Open to help (made through the API, or before the page asked for a skill) with no skill listed: no
    # ask can come, so the page does not say "open to help on 0 skills" at the top, it says what is missing.
    Profile.objects.filter(user=owner).update(open_to_help=True)
    open_ask(skills=[], mentee=owner, title="My own ask")

    text = " ".join(owner_client.get(HOME).content.decode().split())

    assert "No ask can reach you yet." in text
    assert "Add the skills you can help with" in text
    assert "open to help on 0 skills" not in text
    assert text.index('id="today-asks"') < text.index('id="today-offers"')


def test_an_accepted_ask_on_today_points_to_its_thread_not_to_a_thread_below(owner, owner_client):
    helper = make_mentor(name="Grace Helper")
    AskFactory(mentee=owner, helper=helper, title="My accepted ask", state=AskState.ACCEPTED)

    text = html.unescape(" ".join(owner_client.get(HOME).content.decode().split()))

    assert "Grace Helper accepted it. Talk it through in the ask's thread." in text
    assert "thread below" not in text


def test_it_shows_my_offers_with_objective_why_me_time_left_and_answers(owner_client, offer_to_owner):
    text = owner_client.get(HOME).content.decode()
    assert "Read my migration plan" in text
    assert "ship the migration" in text
    assert "Why you:" in text
    assert "Answer within" in text
    assert f'hx-post="{reverse("routing:accept", args=[offer_to_owner.pk])}"' in text
    assert f'hx-post="{reverse("routing:decline", args=[offer_to_owner.pk])}"' in text
    assert f'hx-target="#offer-card-{offer_to_owner.pk}"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_it_never_shows_someone_elses_offer_ask_or_session(owner_client, outsider, django_skill):
    stranger = make_mentor(django_skill, name="Stranger")
    OfferFactory(mentor=stranger, ask__title="Not for the owner", ask__mentee=outsider)
    AskFactory(mentee=outsider, title="The outsider's own ask", state=AskState.OPEN, published_at=now())
    SessionFactory(mentee=outsider, mentor=stranger, title="The outsider's session")
    past_session(mentee=outsider, mentor=stranger, title="The outsider's past session")
    text = owner_client.get(HOME).content.decode()
    for title in ("Not for the owner", "The outsider's own ask", "The outsider's session", "past session"):
        assert title not in text


def test_accepting_from_home_without_javascript_opens_the_ask(owner_client, offer_to_owner):
    response = owner_client.post(reverse("routing:accept", args=[offer_to_owner.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("asks:detail", args=[offer_to_owner.ask_id])
    offer_to_owner.refresh_from_db()
    assert offer_to_owner.state == OfferState.ACCEPTED


def test_accepting_with_htmx_returns_the_answered_card(owner_client, offer_to_owner):
    response = owner_client.post(reverse("routing:accept", args=[offer_to_owner.pk]), **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert f'id="offer-card-{offer_to_owner.pk}"' in text
    assert "Accepted" in text and reverse("asks:detail", args=[offer_to_owner.ask_id]) in text
    assert json.loads(response["HX-Trigger"])["offer-answered"]["state"] == "accepted"
    offer_to_owner.refresh_from_db()
    assert offer_to_owner.state == OfferState.ACCEPTED
    # No flash message waits for the next full page: the card already said it.
    assert "You are helping with" not in owner_client.get(reverse("routing:inbox")).content.decode()


def test_the_accepted_ask_moves_to_helping_now(owner_client, offer_to_owner):
    owner_client.post(reverse("routing:accept", args=[offer_to_owner.pk]), **HTMX)
    response = owner_client.get(HOME + "?section=helping", **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and 'id="today-helping"' in text
    assert "Read my migration plan" in text and "Agree a time" in text
    home = owner_client.get(HOME).content.decode()
    assert f'id="offer-card-{offer_to_owner.pk}"' not in home


def test_an_offer_taken_meanwhile_answers_htmx_with_a_notice(owner_client, offer_to_owner):
    other = Offer.objects.exclude(pk=offer_to_owner.pk).get(ask=offer_to_owner.ask)
    services.accept_offer(offer=other, mentor=other.mentor)
    response = owner_client.post(reverse("routing:accept", args=[offer_to_owner.pk]), **HTMX)
    assert response.status_code == 200
    assert b'role="status"' in response.content
    assert b"Withdrawn" in response.content


def test_declining_with_htmx_needs_a_reason_then_thanks(owner_client, offer_to_owner):
    url = reverse("routing:decline", args=[offer_to_owner.pk])
    response = owner_client.post(url, {"reason": ""}, **HTMX)
    assert response.status_code == 200
    assert b"Choose a reason" in response.content and b"<html" not in response.content
    assert b" open>" in response.content or b"open>" in response.content  # the form stays unfolded
    response = owner_client.post(url, {"reason": "no_time"}, **HTMX)
    assert response.status_code == 200
    assert b"Declined" in response.content and b"passing it on" in response.content
    offer_to_owner.refresh_from_db()
    assert offer_to_owner.state == OfferState.DECLINED


def test_declining_without_javascript_still_redirects(owner_client, offer_to_owner):
    response = owner_client.post(reverse("routing:decline", args=[offer_to_owner.pk]), {"reason": "no_time"})
    assert response.status_code == 302
    assert response["Location"] == reverse("routing:inbox")


def test_someone_elses_offer_answers_404_to_htmx_too(outsider_client, offer_to_owner):
    for name in ("routing:accept", "routing:decline"):
        response = outsider_client.post(
            reverse(name, args=[offer_to_owner.pk]), {"reason": "no_time"}, **HTMX
        )
        assert response.status_code == 404
    offer_to_owner.refresh_from_db()
    assert offer_to_owner.state == OfferState.PENDING


def test_my_open_asks_show_state_and_an_estimated_wait(owner, owner_client, django_skill):
    published = now() - dt.timedelta(days=3)
    for hours in (1, 2, 3, 4, 5):
        AskFactory(
            skills=[django_skill],
            urgency=Urgency.THIS_WEEK,
            state=AskState.COMPLETED,
            published_at=published,
            accepted_at=published + dt.timedelta(hours=hours),
        )
    ask = open_ask(skills=[django_skill], mentee=owner, title="Speed up my queries")
    mentor = make_mentor(django_skill)
    OfferFactory(ask=ask, mentor=mentor, expires_at=now() + dt.timedelta(hours=5))
    type(ask).objects.filter(pk=ask.pk).update(state=AskState.OFFERED)
    AskFactory(mentee=owner, title="A finished ask", state=AskState.COMPLETED)
    text = owner_client.get(HOME).content.decode()
    assert "Speed up my queries" in text
    assert "Offered to 1 expert" in text
    assert "Similar asks were usually accepted within about 3 hours (from 5 recent asks)." in text
    assert "The experts answer by" in text
    assert "A finished ask" not in text


def test_a_waiting_ask_without_history_says_so(owner, owner_client, django_skill):
    open_ask(skills=[django_skill], mentee=owner, title="A rare question")
    assert "Not enough similar asks yet" in owner_client.get(HOME).content.decode()


@pytest.fixture
def late_sunday():
    """Sunday 23:30 UTC (already Monday in Berlin), before the signed-in client is made."""
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC), tick=False):
        yield


def test_upcoming_sessions_are_in_my_zone_with_join_and_calendar_links(late_sunday, owner, owner_client):
    Profile.objects.filter(user=owner).update(timezone="Europe/Berlin")
    mentor = make_mentor(name="Theo")
    starts = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
    SessionFactory(mentee=owner, mentor=mentor, title="Query plans", starts_at=starts)
    SessionFactory(
        mentee=owner,
        mentor=mentor,
        title="Starting soon",
        starts_at=now() + dt.timedelta(minutes=9),
        place="https://meet.example.org/soon",
    )
    SessionFactory(
        mentee=owner, mentor=mentor, title="Too far ahead", starts_at=now() + dt.timedelta(days=20)
    )
    past_session(mentee=owner, mentor=mentor, title="Already held")
    hours = OfficeHoursFactory(title="SQL drop-in")
    booking = book(hours, owner, topic="Index design")
    text = owner_client.get(HOME).content.decode()
    assert "Query plans" in text
    assert "Tue 8 Dec, 10:00" in text  # 09:00 UTC is 10:00 in Berlin
    # The call link only from ten minutes before the start, as on the session page.
    assert 'href="https://meet.example.org/soon"' in text
    assert 'href="https://meet.example.org/room"' not in text
    assert "Index design" in text
    assert reverse("officehours:booking-ics", args=[booking.pk]) in text
    assert "Too far ahead" not in text
    assert "Already held" not in text.split('id="today-upcoming"')[1].split("</section>")[0]


def test_debriefs_to_write_list_held_sessions_without_one(owner, owner_client):
    mentor = make_mentor(name="Theo")
    past_session(mentee=owner, mentor=mentor, title="Needs a debrief")
    done = past_session(mentee=owner, mentor=mentor, title="Debriefed already")
    DebriefFactory(session=done)
    cancelled = past_session(mentee=owner, mentor=mentor, title="Cancelled one")
    type(cancelled).objects.filter(pk=cancelled.pk).update(state=SessionState.CANCELLED)
    text = owner_client.get(HOME).content.decode()
    section = text.split('id="today-debriefs"')[1].split("</section>")[0]
    assert "Needs a debrief" in section
    assert "Debriefed already" not in section
    assert "Cancelled one" not in section


def test_people_to_thank_link_to_the_kudos_form_with_the_session(owner, owner_client):
    mentor = make_mentor(name="Theo Helper")
    session = past_session(mentee=owner, mentor=mentor, title="Query plans")
    text = owner_client.get(HOME).content.decode()
    assert "Theo Helper" in text
    assert f"{reverse('recognition:give', args=[mentor.pk])}?session={session.pk}" in text
    KudosFactory(giver=owner, receiver=mentor, session=session)
    text = owner_client.get(HOME).content.decode()
    assert f"{reverse('recognition:give', args=[mentor.pk])}?session={session.pk}" not in text


def test_the_weekly_challenge_shows_progress(owner, owner_client):
    make_moments(2, author=owner)
    assert "2 of 3 moments this week" in owner_client.get(HOME).content.decode()


def test_only_organisers_see_this_weeks_alerts(organiser_client, owner_client):
    response = organiser_client.get(HOME)
    assert response.status_code == 200
    text = response.content.decode()
    assert "This week's alerts" in text
    assert reverse("insights:dashboard") in text
    assert "This week's alerts" not in owner_client.get(HOME).content.decode()


def test_sections_reload_alone_and_unknown_ones_are_404(owner_client, anonymous_client):
    response = owner_client.get(HOME + "?section=upcoming", **HTMX)
    assert response.status_code == 200 and b'id="today-upcoming"' in response.content
    assert b"<html" not in response.content
    assert owner_client.get(HOME + "?section=nope").status_code == 404
    assert b"Short, focused help" in anonymous_client.get(HOME + "?section=helping").content


def test_the_home_costs_a_bounded_number_of_queries(
    owner, owner_client, django_skill, django_assert_max_num_queries
):
    profile_of(owner).skills_offered.create(skill=django_skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True, sessions_per_week=5)
    make_offers(8, mentor=owner, skills=[django_skill])
    mentor = make_mentor(django_skill, name="Theo")
    for i in range(6):
        open_ask(skills=[django_skill], mentee=owner, title=f"My ask {i}")
        SessionFactory(mentee=owner, mentor=mentor, starts_at=now() + dt.timedelta(days=1, hours=i))
        past_session(mentee=owner, mentor=make_mentor(name=f"Helper {i}"), hours_ago=3 + i)
    make_moments(2, author=owner)
    owner_client.get(HOME)  # warm the session and the caches a first visit fills
    with django_assert_max_num_queries(25):
        response = owner_client.get(HOME)
    assert response.status_code == 200


def test_each_section_loads_the_columns_it_shows_without_a_query_per_row(owner, owner_client):
    """Sections read only the columns they show (``only``): a column left out but shown would cost one
    query per row. Every section with one row, then with more than it shows, costs the same queries."""
    mentor = make_mentor(name="Theo")
    hours = OfficeHoursFactory(title="SQL drop-in")
    skill = SkillFactory(name="Django")

    def grow(n: int) -> None:
        for _ in range(n):
            start = now() + dt.timedelta(days=1, hours=SessionFactory._meta.model.objects.count())
            SessionFactory(mentee=owner, mentor=mentor, starts_at=start, place="Room 4")  # coming up
            past_session(mentee=owner, mentor=mentor)  # a debrief to write, someone to thank
            past_session(mentee=owner, mentor=make_mentor(), hours_ago=5)
            AskFactory(mentee=make_mentor(), helper=owner, state=AskState.ACCEPTED, title="Helping")
            open_ask(skills=[skill], mentee=owner, title="My open ask")  # waiting, with an estimate
            AskFactory(mentee=owner, helper=mentor, state=AskState.ACCEPTED, title="Mine, accepted")
        for skip in range(n):
            book(hours, owner, skip=skip, topic="Index design")

    def home() -> str:
        cache.clear()  # the wait estimates computed at both sizes, not remembered at the second
        response = owner_client.get(HOME)
        assert response.status_code == 200
        return response.content.decode()

    owner_client.get(HOME)  # the session and the caches a first visit fills
    assert_constant_queries(grow=grow, action=home, small=1, large=7)
    text = home()
    shown_texts = ("Theo", "Helping", "Room 4", "Index design", "Write the debrief", "Say thanks")
    for shown in (*shown_texts, "My open ask", "Theo accepted it"):
        assert shown in text


def test_offer_cards_load_what_they_show_without_a_query_per_card(owner, owner_client, django_skill):
    """The offer cards read only their columns (``only``): one left out but shown would cost a query per
    card. One offer, then more than the page shows, cost the same queries, and each card keeps its
    content: the ask, its mentee, format and urgency, needed-by day, objective, skills and decline form."""
    profile_of(owner).skills_offered.create(skill=django_skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True, sessions_per_week=3)

    def grow(n: int) -> None:
        for offer in make_offers(n, mentor=owner, skills=[django_skill]):
            offer.ask.needed_by = now().date() + dt.timedelta(days=9)
            offer.ask.save(update_fields=["needed_by"])

    def home() -> str:
        response = owner_client.get(HOME)
        assert response.status_code == 200
        return response.content.decode()

    owner_client.get(HOME)  # the session and the caches a first visit fills
    assert_constant_queries(grow=grow, action=home, small=1, large=7)
    text = " ".join(home().split())
    card = text[text.index('id="offer-card-') :]
    for shown in ("Bulk offered ask", "understand the thing", "Django", "this week, by ", "Decline politely"):
        assert shown in card
    first = Offer.objects.filter(mentor=owner).order_by("expires_at", "pk").first()
    assert first is not None
    assert f'for="id_offer{first.pk}_reason_0"' in card and f'id="id_offer{first.pk}_note"' in card
