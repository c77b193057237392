"""The learned ranker's training data: labels from the debrief rating, and features as they stood
when each past ask came in (nothing from the ask's own outcome or from later)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.directory.matching.learning.features import SkillGraph
from openhelp.directory.matching.types import MentorProfile, PastHelp
from openhelp.help.asks.models import AskState
from openhelp.help.mentoring.models import Outcome
from openhelp.help.routing import learned
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from tests.factories_asks import AskFactory
from tests.factories_mentoring import DebriefFactory, SessionFactory
from tests.factories_routing import make_mentor, open_ask

TODAY = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("offer_state", "ask_state", "helped", "debrief", "label"),
    [
        (OfferState.ACCEPTED, AskState.COMPLETED, True, (5, Outcome.SOLVED), 2.0),
        (OfferState.ACCEPTED, AskState.COMPLETED, True, (4, ""), 2.0),
        # Completed, but the mentee rated it 2: accepted, not a success.
        (OfferState.ACCEPTED, AskState.COMPLETED, True, (2, Outcome.SOLVED), 1.0),
        (OfferState.ACCEPTED, AskState.COMPLETED, True, (3, ""), 1.0),
        # No rating: a "solved" debrief or a completed ask counts as help that worked.
        (OfferState.ACCEPTED, AskState.ANSWERED, True, (None, Outcome.SOLVED), 2.0),
        (OfferState.ACCEPTED, AskState.ANSWERED, True, (None, Outcome.NOT_YET), 1.0),
        (OfferState.ACCEPTED, AskState.COMPLETED, True, None, 2.0),
        (OfferState.ACCEPTED, AskState.ACCEPTED, True, None, 1.0),
        # Accepted but someone else became the helper; declined; expired.
        (OfferState.ACCEPTED, AskState.COMPLETED, False, (5, Outcome.SOLVED), 0.0),
        (OfferState.DECLINED, AskState.COMPLETED, False, None, 0.0),
        (OfferState.EXPIRED, AskState.COMPLETED, False, None, 0.0),
    ],
)
def test_labels_follow_the_rating_then_the_outcome(offer_state, ask_state, helped, debrief, label):
    assert learned._label(offer_state, ask_state, helped, debrief) == label


def test_earlier_help_is_aged_from_the_ask_and_later_help_dropped():
    profile = MentorProfile(
        id=1,
        past_help=(
            PastHelp(title="long before", age_days=100.0, ask_id=10),
            PastHelp(title="this ask", age_days=30.0, ask_id=11),
            PastHelp(title="after it", age_days=5.0, ask_id=12),
        ),
        offers_received=9,
        offers_accepted=9,
    )
    then = learned._before(profile, 11, 30.0, {"offers_received": 2, "offers_accepted": 1})
    assert [(h.title, h.age_days) for h in then.past_help] == [("long before", 70.0)]
    assert (then.offers_received, then.offers_accepted) == (2, 1)


@pytest.mark.django_db
def test_responsiveness_and_load_are_counted_up_to_the_ask(skills):
    mentor = make_mentor(skills["django"], name="Mentor")
    with time_machine.travel(TODAY - dt.timedelta(days=20), tick=False):
        ask = open_ask(skills=[skills["django"]], title="The labelled ask")

    def offer(days_before: float, state: str, *, answered_after_hours: float | None = 2, **fields):
        created = ask.created_at - dt.timedelta(days=days_before)
        responded = (
            created + dt.timedelta(hours=answered_after_hours) if answered_after_hours is not None else None
        )
        other = AskFactory(skills=[skills["django"]], created_at=created)
        Offer.objects.create(
            ask=other,
            mentor=mentor,
            state=state,
            created_at=created,
            expires_at=created + dt.timedelta(days=2),
            responded_at=responded,
            **fields,
        )

    offer(10, OfferState.ACCEPTED, answered_after_hours=4)  # counts
    offer(9, OfferState.DECLINED, answered_after_hours=2)  # counts
    offer(8, OfferState.EXPIRED, answered_after_hours=None)  # counts: expired before the ask
    offer(7, OfferState.DECLINED, decline_reason=DeclineReason.PAUSED)  # automatic: never counts
    offer(0.5, OfferState.ACCEPTED, answered_after_hours=24)  # answered after the ask came in
    offer(-3, OfferState.ACCEPTED)  # made after the ask
    Offer.objects.create(  # the labelled offer itself
        ask=ask,
        mentor=mentor,
        state=OfferState.ACCEPTED,
        created_at=ask.created_at,
        expires_at=ask.created_at + dt.timedelta(days=2),
        responded_at=ask.created_at + dt.timedelta(hours=1),
    )
    for days_before in (5, -5):  # help taken on a week before the ask counts for load, after it not
        AskFactory(
            skills=[skills["django"]],
            helper=mentor,
            state=AskState.COMPLETED,
            accepted_at=ask.created_at - dt.timedelta(days=days_before),
        )

    facts = learned.point_in_time_facts([mentor.pk], ask, load_window_weeks=4)[mentor.pk]

    assert facts["offers_received"] == 3
    assert facts["offers_accepted"] == 1
    assert facts["median_response_hours"] == 3.0
    assert facts["recent_sessions"] == 1


@pytest.mark.django_db
def test_a_low_rating_makes_the_helper_a_weaker_example(skills):
    first = make_mentor(skills["django"], name="First")
    second = make_mentor(skills["django"], name="Second")
    with time_machine.travel(TODAY, tick=False):
        ask = open_ask(skills=[skills["django"]], title="Tune my queryset")
        for mentor, state in ((first, OfferState.ACCEPTED), (second, OfferState.DECLINED)):
            Offer.objects.create(
                ask=ask,
                mentor=mentor,
                state=state,
                expires_at=TODAY + dt.timedelta(days=2),
                responded_at=TODAY,
            )
        type(ask).objects.filter(pk=ask.pk).update(state=AskState.COMPLETED, helper=first, accepted_at=TODAY)
        ask.refresh_from_db()
        session = SessionFactory(ask=ask, mentee=ask.mentee, mentor=first)
        debrief = DebriefFactory(session=session, rating=5)

        def labels():
            group = learned.history_group(ask, weights=learned.policy.weights(), graph=SkillGraph())
            assert group is not None
            return sorted(group.labels.tolist())

        assert labels() == [0.0, 2.0]
        debrief.rating = 2
        debrief.save()
        assert labels() == [0.0, 1.0]
