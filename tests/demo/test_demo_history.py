"""The 300-person demo of ``make run`` (seed 42, ten weeks to 2026-03-04): the promised shape of its people
and skills, asks and bookings in every state, seeded rows that agree with what the services write, and the history shapes organisers' insights
look for (gaps, overloaded mentors, knowledge nodes).

These tests only read the demo, so it is seeded once for the module (and in one process: ``xdist_group``)
instead of once per test; they live apart from tests/demo/test_demo_activity.py, whose tests seed their own
organisations into an empty database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Count

from openhelp.community.goals.models import LearningGoal
from openhelp.community.moments.models import Introduction, IntroductionState
from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.capacity import capacity_for
from openhelp.directory.people.models import Profile, SkillOffer, SkillWanted
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory
from openhelp.help.asks.models import Ask, AskState, Message
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.help.officehours.models import Booking, BookingState, OfficeHours, WaitlistEntry
from openhelp.help.routing.models import OfferState
from openhelp.platform.accounts.models import User

TODAY = dt.date(2026, 3, 4)  # a Wednesday
MOMENT = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-300")]


@pytest.fixture(scope="module")
def demo_300(django_db_setup, django_db_blocker):
    """The 300-person demo of ``make run`` (seed 42), seeded once for the tests that only read it,
    inside a transaction rolled back when the module ends (each test's own savepoint is rolled back after
    it, as always). It is about 2 s of CPU a seed."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(people=300, seed=42, today=TODAY)
        transaction.set_rollback(True)


def test_it_seeds_the_promised_shape(demo_300):
    summary = demo_300
    profiles = Profile.objects.all()

    assert User.objects.count() == profiles.count() == summary.people == 300
    assert profiles.values("team").distinct().count() == 8
    assert set(profiles.values_list("timezone", flat=True)) == {zone for zone, *_ in data.PLACES}
    assert Skill.objects.approved().count() >= 80
    assert SkillCategory.objects.count() == 10
    share = profiles.filter(open_to_help=True).count() / 300
    assert 0.33 <= share <= 0.47
    assert profiles.filter(open_to_help=True, paused_until__gt=TODAY).exists()
    assert profiles.filter(open_to_help=True, paused_until=None).count() > 80
    assert set(SkillOffer.objects.values_list("level", flat=True)) == {1, 2, 3, 4, 5}
    assert SkillWanted.objects.count() > 200
    assert profiles.annotate(n=Count("languages")).filter(n__gte=2).count() > 50
    assert (
        len({tuple(sorted(f)) for f in profiles.filter(open_to_help=True).values_list("formats", flat=True)})
        > 5
    )
    assert profiles.exclude(headline="").exclude(bio="").count() == 300
    # Rows were bulk-created: prove they still obey every rule the models and forms enforce.
    for profile in profiles:
        profile.full_clean(validate_unique=False)
    for row in [*Skill.objects.all(), *SkillAlias.objects.all()]:
        row.full_clean()


def test_it_seeds_asks_in_every_state_and_bookings_in_every_state(demo_300):
    summary = demo_300
    asks = Counter(Ask.objects.values_list("state", flat=True))
    assert {state: asks[state] > 0 for state in AskState} == {state: True for state in AskState}
    assert summary.activity.asks == {state.value: asks[state] for state in AskState}
    bookings = Counter(Booking.objects.values_list("state", flat=True))
    assert all(bookings[state] > 0 for state in BookingState)
    assert WaitlistEntry.objects.filter(state="waiting").exists()
    assert len(set(OfficeHours.objects.values_list("timezone", flat=True))) >= 4
    assert Session.objects.filter(state=SessionState.COMPLETED, debrief__rating__isnull=False).count() > 50
    assert Introduction.objects.filter(state=IntroductionState.PENDING).exists()
    assert Introduction.objects.filter(state=IntroductionState.CONNECTED).exists()
    assert LibraryEntry.objects.filter(debrief__mentee_consents_to_publish=True).count() > 10
    assert Endorsement.objects.count() > 10 and Kudos.objects.count() > 20 and LearningGoal.objects.exists()
    assert Message.objects.count() > 100


def test_it_keeps_the_seeded_rows_consistent_with_what_the_services_write(demo_300):
    for ask in Ask.objects.prefetch_related("events", "offers"):
        events = list(ask.events.all())
        assert events[0].kind == "created"
        transitions = [e for e in events if e.to_state]
        if ask.state != AskState.DRAFT:
            assert transitions[-1].to_state == ask.state, ask.title
            assert [e.from_state for e in transitions[1:]] == [e.to_state for e in transitions[:-1]]
            assert ask.published_at is not None
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        offers = list(ask.offers.all())
        accepted = [o for o in offers if o.state == OfferState.ACCEPTED]
        if ask.helper_id:
            assert ask.accepted_at and [o.mentor_id for o in accepted] == [ask.helper_id]
            assert accepted[0].responded_at == ask.accepted_at < accepted[0].expires_at
        else:
            assert not accepted
        if ask.state != AskState.OFFERED:
            assert not any(o.state == OfferState.PENDING for o in offers)
        assert (ask.closed_at is not None) == (ask.state in {"completed", "cancelled", "expired"})
    for session in Session.objects.select_related("ask", "booking"):
        source = session.ask or session.booking
        assert source is not None and session.mentee_id != session.mentor_id
        assert session.steps.exists() == (session.format != "async")
        assert session.shared_note is not None
        if session.ask_id and session.ask.state == AskState.COMPLETED:
            assert session.state == SessionState.COMPLETED
        if session.booking_id and session.booking.state == BookingState.CANCELLED:
            assert session.state == SessionState.CANCELLED
    for row in [*Ask.objects.all()[:50], *Session.objects.all()[:50], *Booking.objects.all()[:50]]:
        row.full_clean(validate_unique=False)


def test_the_history_has_gaps_overloaded_mentors_and_knowledge_nodes(demo_300):
    summary = demo_300.activity
    # Gaps: many asks, few experts, mostly never matched.
    experts = Counter(
        SkillOffer.objects.filter(level__gte=2, profile__open_to_help=True).values_list(
            "skill__name", flat=True
        )
    )
    typical = sorted(experts.values())[len(experts) // 2]
    for skill in summary.gap_skills:
        asks = Ask.objects.filter(skills__name=skill)
        assert asks.count() >= 10
        assert experts[skill] <= 2 < typical
        assert asks.filter(state__in=[AskState.UNMATCHED, AskState.EXPIRED]).count() >= asks.count() // 2
    # Fairness: the hubs are over their weekly capacity in each of the last two weeks, by the product's
    # own measure, and carry a large share of those weeks' sessions.
    hubs = Profile.objects.filter(user__email__in=summary.hubs, open_to_help=True)
    assert len(summary.hubs) == 3
    for profile in hubs.filter(sessions_per_week__isnull=False):
        for weeks_ago in (1, 2):
            used = capacity_for(profile, moment=MOMENT - dt.timedelta(weeks=weeks_ago)).sessions_used
            assert used > profile.sessions_per_week, (profile.display_name, weeks_ago)
    monday = MOMENT - dt.timedelta(days=MOMENT.weekday(), hours=12)
    recent = Session.objects.filter(starts_at__gte=monday - dt.timedelta(weeks=2), starts_at__lt=monday)
    share = recent.filter(mentor__profile__in=hubs).count() / recent.count()
    assert share >= 0.3
    # Knowledge nodes help people in many teams; help flows between teams.
    for name in summary.knowledge_nodes:
        teams = Session.objects.filter(mentor__email=name).values("mentee__profile__team")
        assert teams.distinct().count() >= 5
    pairs = Session.objects.filter(state=SessionState.COMPLETED).values_list(
        "mentee__profile__team", "mentor__profile__team"
    )
    assert sum(a != b for a, b in pairs) > len(pairs) / 2
    flows = defaultdict(set)
    for a, b in pairs:
        flows[a].add(b)
    assert all(len(helpers) >= 3 for helpers in flows.values())
