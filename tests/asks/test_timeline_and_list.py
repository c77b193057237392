"""The ask's timeline (right actor and verb for every kind, nothing said twice, times in the viewer's zone)
and My asks (open and closed apart, one wording for "offered to N experts")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from openhelp.help.asks import services
from openhelp.help.asks.display import PERSON_VERBS, PLATFORM_KINDS, timeline_rows
from openhelp.help.asks.lifecycle import record_event
from openhelp.help.asks.models import AskEvent, AskFormat, AskMode, AskState
from openhelp.help.routing.models import Offer
from tests.factories import UserFactory
from tests.factories_asks import AskFactory, ask_in_state, publish_and_route
from tests.factories_routing import make_mentor

pytestmark = pytest.mark.django_db

SATURDAY = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)  # the call is agreed the day before
CALL = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)  # 11:00 in Berlin (CET)


def test_the_platform_offers_the_ask_not_the_mentee(mentee, mentee_client, skills):
    for name in ("Mia Mentor", "Max Mentor"):
        make_mentor(skills["django"], name=name)
    ask = AskFactory(mentee=mentee, skills=[skills["django"]], mode=AskMode.ROUTED)

    publish_and_route(ask, actor=mentee)
    page = mentee_client.get(reverse("asks:detail", args=[ask.pk]))

    rows = {row.event.kind: row for row in page.context["timeline"]}
    assert rows["published"].text == "You published it."
    assert rows["offered"].who == "Open to Help"
    assert rows["offered"].text == "Offered to 2 experts (round 1)."
    html = page.content.decode()
    assert "Offered to experts</strong> by You" not in html
    assert html.count("Offered to 2 experts") >= 1
    assert "Offered to experts: Offered to" not in html and "by You: Offered" not in html


def test_no_step_says_the_same_thing_twice(mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    notes = {
        "created": "Saved as a draft.",
        "published": "Published.",
        "offered": "Offered to 3 experts (round 1).",
        "declined": "One expert could not take it (not my area).",
        "offer_expired": "One expert did not answer in time.",
        "reopened": "Looking for experts again.",
        "escalated": "Escalated: nobody accepted yet. Related skills and lower levels now count.",
        "accepted": "Accepted by Hana Helper.",
        "answered": "Marked as answered.",
        "completed": "It helped.",
    }
    for kind, note in notes.items():
        record_event(ask, kind=kind, actor=mentee, note=note)

    rows = timeline_rows(ask, viewer=mentee)

    for row in rows:
        sentence = f"{row.text} {row.detail}".lower()
        for label in (
            "offered to",
            "could not take it",
            "looking for experts again",
            "escalated",
            "accepted",
        ):
            assert sentence.count(label) <= 1, sentence
    texts = {row.event.kind: row.text for row in rows}
    assert texts["created"] == "You saved it as a draft."
    assert texts["completed"] == "You confirmed it helped."
    assert texts["escalated"].startswith("Escalated: nobody accepted yet.")


@pytest.mark.parametrize("kind", sorted(PLATFORM_KINDS))
def test_a_platform_step_is_never_a_persons_even_with_an_actor(kind, mentee):
    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    record_event(ask, kind=kind, actor=mentee, note="Something the platform did.")

    (row,) = timeline_rows(ask, viewer=mentee)

    assert row.who == "Open to Help"
    assert not row.text.startswith("You")


@pytest.mark.parametrize("kind", sorted(PERSON_VERBS))
def test_a_persons_step_names_them_with_a_verb(kind, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    record_event(ask, kind=kind, actor=helper, note="")

    (row,) = timeline_rows(ask, viewer=mentee)

    assert row.who == "Hana Helper"
    assert row.text.startswith("Hana Helper ") and row.text.endswith(".")


def test_an_expert_only_offered_the_ask_stays_anonymous(mentee):
    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    record_event(ask, kind="edited", actor=UserFactory(), note="")

    (row,) = timeline_rows(ask, viewer=mentee)

    assert row.text == "An expert edited it."


@pytest.fixture
def on_saturday():
    """Saturday before anything else is made (the signed-in client too, so its session is fresh)."""
    with time_machine.travel(SATURDAY, tick=False):
        yield


def test_times_read_in_the_viewers_zone(on_saturday, mentee, mentee_client, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    services.record_agreed_time(ask=ask, actor=helper, scheduled_for=CALL, place="Room 4")

    html = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert "2026-12-06 10:00 UTC" not in html
    assert "Agreed for Sun 6 Dec, 11:00 CET at Room 4." in html
    assert "Hana Helper set the time." in html
    assert AskEvent.objects.get(ask=ask, kind="scheduled").created_at == SATURDAY
    assert "Sat 5 Dec, 10:00 CET" in html  # when it was recorded, also in Berlin time
    assert 'datetime="2026-12-05T10:00:00+01:00"' in html  # and the exact moment for machines
    assert 'datetime="2026-12-06T11:00:00+01:00"' in html


def test_my_asks_says_offered_to_n_experts_once(mentee, mentee_client, helper):
    ask = ask_in_state(AskState.OFFERED, mentee=mentee, title="Waiting one")
    for mentor in (helper, UserFactory()):
        Offer.objects.create(ask=ask, mentor=mentor, expires_at=ask.published_at + dt.timedelta(days=1))

    html = mentee_client.get(reverse("asks:list")).content.decode()

    assert "Offered to 2 experts" in html
    assert "Offered to experts" not in html  # the state's label and the count, one after the other
    assert "offered to 2 experts" not in html


def test_my_asks_says_when_a_scheduled_call_is(on_saturday, mentee, mentee_client, helper):
    # "Scheduled with Hana Helper" left out the one thing a mentee looks for: when.
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    services.record_agreed_time(ask=ask, actor=helper, scheduled_for=CALL, place="Room 4")

    html = " ".join(mentee_client.get(reverse("asks:list")).content.decode().split())

    assert 'with Hana Helper · <time datetime="2026-12-06T11:00:00+01:00">Sun 6 Dec, 11:00</time>' in html


def test_my_asks_keeps_open_and_closed_apart(mentee, mentee_client):
    ask_in_state(AskState.OFFERED, mentee=mentee, title="Still open")
    ask_in_state(AskState.COMPLETED, mentee=mentee, title="All done")

    open_page = mentee_client.get(reverse("asks:list")).content.decode()
    closed_page = mentee_client.get(reverse("asks:list"), {"show": "closed"}).content.decode()

    assert "Still open" in open_page and "All done" not in open_page
    assert "All done" in closed_page and "Still open" not in closed_page
    assert 'href="?show=open" aria-current="page"' in open_page
    assert 'href="?show=closed" aria-current="page"' in closed_page
    assert 'class="ask-list list-plain"' in open_page  # no bullets outside the cards


def test_my_asks_says_what_to_do_when_a_tab_is_empty(mentee, mentee_client):
    ask_in_state(AskState.COMPLETED, mentee=mentee, title="All done")

    html = mentee_client.get(reverse("asks:list")).content.decode()

    assert "No open asks." in html and reverse("asks:new") in html


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        (
            AskState.ACCEPTED,
            "You accepted it. Agree a time for the call with Nora Newbie, then record it below.",
        ),
        (AskState.SCHEDULED, "A call with Nora Newbie is agreed."),
        (AskState.ANSWERED, "You marked it answered; Nora Newbie can confirm it helped."),
    ],
)
def test_the_expert_reads_where_it_stands_as_themselves(state, sentence, helper, helper_client):
    mentee = UserFactory(with_profile__display_name="Nora Newbie")
    ask = ask_in_state(state, mentee=mentee, helper=helper)

    page = helper_client.get(reverse("asks:detail", args=[ask.pk]))

    assert page.context["status"] == sentence
    html = page.content.decode()
    assert "Hana Helper accepted it" not in html and "A call with Hana Helper" not in html
    assert f'href="{reverse("routing:inbox")}">Your inbox</a>' in html
    assert f'href="{reverse("asks:list")}">My asks</a>' not in html


def test_the_mentee_still_reads_the_experts_name(mentee, mentee_client, helper):
    ask = ask_in_state(AskState.SCHEDULED, mentee=mentee, helper=helper)

    page = mentee_client.get(reverse("asks:detail", args=[ask.pk]))

    assert page.context["status"] == "A call with Hana Helper is agreed."
    assert f'href="{reverse("asks:list")}">My asks</a>' in page.content.decode()


def test_an_accepted_async_ask_reads_as_a_talk_in_the_thread(helper, helper_client):
    mentee = UserFactory(with_profile__display_name="Nora Newbie")
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, format=AskFormat.ASYNC)

    page = helper_client.get(reverse("asks:detail", args=[ask.pk]))

    assert page.context["status"] == "You accepted it. Talk it through with Nora Newbie in the thread below."
    assert 'data-step="schedule"' not in page.content.decode()
    assert "<h3>Answered it?</h3>" in page.content.decode()


def test_an_accepted_call_puts_agreeing_the_time_first_for_the_expert(helper, helper_client):
    mentee = UserFactory(with_profile__display_name="Nora Newbie")
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    assert ask.is_call

    html = helper_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    next_step = html.index("Next step: agree a time for the call")
    answered = html.index("Answered it without a call?")
    assert next_step < answered
    schedule_form = html[html.index('data-step="schedule"') : answered]
    assert '<button type="submit">Save the agreed time</button>' in schedule_form  # the primary action
    answer_form = html[answered : html.index("</form>", answered)]
    assert '<button type="submit" class="secondary">Mark as answered</button>' in answer_form


def test_the_expert_reads_an_ask_under_their_inbox_and_the_mentee_under_my_asks(
    mentee, mentee_client, helper, helper_client
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    url = reverse("asks:detail", args=[ask.pk])

    expert = helper_client.get(url).content.decode()
    own = mentee_client.get(url).content.decode()

    inbox, mine = reverse("routing:inbox"), reverse("asks:list")
    assert (
        f'href="{inbox}" aria-current="page"' in expert and f'href="{mine}" aria-current="page"' not in expert
    )
    assert f'href="{mine}" aria-current="page"' in own and f'href="{inbox}" aria-current="page"' not in own


def test_a_scheduled_call_offers_to_change_the_time_as_a_secondary_step(mentee, helper, helper_client):
    ask = ask_in_state(AskState.SCHEDULED, mentee=mentee, helper=helper)

    html = helper_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert "Next step" not in html
    assert "<h3>Change the agreed time</h3>" in html
    assert '<button type="submit" class="secondary">Save the agreed time</button>' in html
