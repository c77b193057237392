"""Every roll-up kept from the outbox equals a from-scratch rebuild, after any sequence of workflows.

A hypothesis state machine runs random sequences of the real workflows — publish (routing makes offers),
accept, decline, cancel an ask, complete or cancel a session, debrief, kudos, moments, team changes by
hand and by a people import (bulk), programme members added in bulk and removed, a deleted team, time
passing — delivers the outbox, and compares the insights roll-ups and the helper network (help links and
the team flow) with what ``rebuild_insights`` / ``rebuild_network`` compute from scratch.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from openhelp.community.moments.services import log_moment
from openhelp.community.recognition.services import KudosRateLimited, give_kudos
from openhelp.directory.people.models import Profile, Team
from openhelp.directory.people.services import delete_teams, update_profile
from openhelp.directory.programmes.models import Membership, MembershipRole, Programme
from openhelp.directory.programmes.services import add_members, remove_member
from openhelp.help.asks import services as ask_services
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring import lifecycle as session_lifecycle
from openhelp.help.mentoring.debriefs import record_debrief
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.help.mentoring.services import (
    create_session as open_session,  # how every session is opened (ask or booking)
)
from openhelp.help.routing.models import Offer, OfferState
from openhelp.help.routing.services import RoutingConflict, accept_offer, decline_offer
from openhelp.organisers.imports.services import apply_import
from openhelp.organisers.insights import rollup as insights_rollup
from openhelp.organisers.insights.tasks import refresh_insights_task
from openhelp.organisers.network import teamflow
from openhelp.organisers.network.models import HelpLink, TeamFlow
from openhelp.organisers.network.rollup import rebuild_help_links
from tests.factories import SkillFactory, SkillOfferFactory, UserFactory
from tests.factories_asks import AskFactory
from tests.harness.examples import examples
from tests.harness.outbox import deliver_events
from tests.insights.test_rollup import snapshot as insights_snapshot

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PEOPLE = 6
Refused = (
    AskConflict,
    IllegalTransition,
    RoutingConflict,
    KudosRateLimited,
    session_lifecycle.SessionConflict,
)


def network_snapshot() -> tuple[list, list]:
    links = HelpLink.objects.values_list(
        "helper_id", "helped_id", "month", "sessions", "kudos", "introductions", "last_at"
    )
    flow = TeamFlow.objects.values_list("programme_id", "month", "helper_team", "helped_team", "sessions")
    return sorted(links), sorted(flow, key=repr)


def assert_rollups_equal_a_rebuild() -> None:
    kept_insights, kept_network = insights_snapshot(), network_snapshot()
    insights_rollup.rebuild()
    rebuild_help_links()  # and the team flow from it
    assert insights_snapshot() == kept_insights
    assert network_snapshot() == kept_network
    assert set(
        TeamFlow.objects.values_list("programme_id", "month", "helper_team", "helped_team", "sessions")
    ) == {(*cell, n) for cell, n in teamflow.from_scratch().items()}


class Workflows(RuleBasedStateMachine):
    """One small organisation per example, inside a savepoint rolled back at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = time_machine.travel(START, tick=False)
        self.traveller = self.clock.start()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.clock.stop()

    @initialize()
    def organisation(self) -> None:
        self.teams = [Team.objects.create(name=f"Team {name}", slug=f"team-{name}") for name in "ABC"]
        self.skill = SkillFactory(name="Django")
        self.people = [
            UserFactory(
                email=f"p{i}@example.org",
                with_profile__team=self.teams[i % 3],
                with_profile__display_name=f"P{i}",
                with_profile__open_to_help=True,
                with_profile__sessions_per_week=5,
            )
            for i in range(PEOPLE)
        ]
        for person in self.people:
            SkillOfferFactory(profile=person.profile, skill=self.skill, level=4)
        self.organiser = self.people[0]
        self.programme = Programme.objects.create(name="Guild", slug="guild")
        Membership.objects.create(
            programme=self.programme, user=self.organiser, role=MembershipRole.ORGANISER
        )
        insights_rollup.rebuild()
        rebuild_help_links()

    # --- asks and offers ------------------------------------------------------------------------------

    @rule(mentee=st.integers(0, PEOPLE - 1), in_programme=st.booleans())
    def publish_an_ask(self, mentee: int, in_programme: bool) -> None:
        person = self.people[mentee]
        programme = self.programme if in_programme and self._member(person) else None
        ask = AskFactory(mentee=person, skills=[self.skill], programme=programme)
        ask_services.publish_ask(ask=ask, actor=person)

    @rule(data=st.data())
    def accept_an_offer(self, data) -> None:
        offers = list(Offer.objects.filter(state=OfferState.PENDING).order_by("pk"))
        if offers:
            offer = data.draw(st.sampled_from(offers))
            try:
                accept_offer(offer=offer, mentor=offer.mentor)
            except Refused:
                pass

    @rule(data=st.data())
    def decline_an_offer(self, data) -> None:
        offers = list(Offer.objects.filter(state=OfferState.PENDING).order_by("pk"))
        if offers:
            offer = data.draw(st.sampled_from(offers))
            decline_offer(offer=offer, mentor=offer.mentor, reason="no_time")

    @rule(data=st.data())
    def cancel_an_ask(self, data) -> None:
        asks = list(Ask.objects.exclude(state__in=[AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED]))
        if asks:
            ask = data.draw(st.sampled_from(sorted(asks, key=lambda a: a.pk)))
            try:
                ask_services.cancel_ask(ask=ask, actor=ask.mentee, reason="Sorted it out myself.")
            except Refused:
                pass

    # --- sessions ---------------------------------------------------------------------------------------

    @rule(mentor=st.integers(0, PEOPLE - 1), mentee=st.integers(0, PEOPLE - 1))
    def hold_a_session(self, mentor: int, mentee: int) -> None:
        """A session from an office-hours style booking, held at once (opened, then completed)."""
        if mentor == mentee:
            return
        with transaction.atomic():
            session = open_session(
                {"ask": None, "booking": None},
                mentee=self.people[mentee],
                mentor=self.people[mentor],
                title="Call",
                format="call",
                planned_minutes=30,
                objective="",
                preparation_questions=[],
                skills=[],
            )
        session_lifecycle.transition(session, SessionState.COMPLETED)

    @rule(data=st.data(), complete=st.booleans())
    def end_a_planned_session(self, data, complete: bool) -> None:
        planned = list(Session.objects.filter(state=SessionState.PLANNED).order_by("pk"))
        if planned:
            session = data.draw(st.sampled_from(planned))
            if complete:
                session_lifecycle.transition(session, SessionState.COMPLETED)
            else:
                session_lifecycle.cancel_session(session=session)

    @rule(data=st.data(), rating=st.integers(1, 5))
    def debrief_a_session(self, data, rating: int) -> None:
        held = list(Session.objects.filter(state=SessionState.COMPLETED).order_by("pk"))
        if held:
            session = data.draw(st.sampled_from(held))
            record_debrief(session=session, actor=session.mentee, rating=rating, outcome="solved")

    # --- community ----------------------------------------------------------------------------------------

    @rule(giver=st.integers(0, PEOPLE - 1), receiver=st.integers(0, PEOPLE - 1), public=st.booleans())
    def give_kudos(self, giver: int, receiver: int, public: bool) -> None:
        if giver != receiver:
            try:
                give_kudos(
                    giver=self.people[giver], receiver=self.people[receiver], message="Thanks!", public=public
                )
            except Refused:
                pass

    @rule(author=st.integers(0, PEOPLE - 1))
    def log_a_moment(self, author: int) -> None:
        log_moment(author=self.people[author], kind="encouragement", note="Told them the draft is strong.")

    # --- people, teams and programmes -----------------------------------------------------------------

    @rule(person=st.integers(0, PEOPLE - 1), team=st.integers(-1, 2))
    def change_team(self, person: int, team: int) -> None:
        profile = Profile.objects.get(user=self.people[person])
        update_profile(profile=profile, team=self.teams[team] if team >= 0 and self.teams[team].pk else None)

    @rule(
        moves=st.lists(
            st.tuples(st.integers(0, PEOPLE - 1), st.sampled_from(["A", "B", "C", "D"])),
            min_size=1,
            max_size=4,
            unique_by=lambda m: m[0],
        )
    )
    def import_people(self, moves) -> None:
        rows = "".join(f"p{i}@example.org,P{i},Team {team}\n" for i, team in moves)
        apply_import("email,name,team\n" + rows, actor=self.organiser)
        self.teams = [Team.objects.filter(name=f"Team {name}").first() or self.teams[0] for name in "ABC"]

    @rule(people=st.sets(st.integers(1, PEOPLE - 1), min_size=1))
    def add_members(self, people) -> None:
        add_members(
            programme=self.programme, users=[self.people[i] for i in sorted(people)], actor=self.organiser
        )

    @rule(person=st.integers(1, PEOPLE - 1))
    def remove_a_member(self, person: int) -> None:
        remove_member(programme=self.programme, user=self.people[person], actor=self.organiser)

    @rule()
    def delete_a_team(self) -> None:
        team = Team.objects.order_by("-pk").first()
        if team is not None:
            delete_teams(teams=[team], actor=self.organiser)
            self.teams = [Team.objects.filter(pk=t.pk).first() or Team(pk=None) for t in self.teams]

    @rule(hours=st.integers(1, 24 * 9))
    def time_passes(self, hours: int) -> None:
        self.traveller.shift(dt.timedelta(hours=hours))

    # --- the proof ------------------------------------------------------------------------------------

    @invariant()
    def rollups_equal_a_rebuild(self) -> None:
        if hasattr(self, "people"):
            deliver_events()
            # The periodic job moves the standard periods when a new week starts (time_passes).
            refresh_insights_task.call()
            assert_rollups_equal_a_rebuild()

    def _member(self, person) -> bool:
        return Membership.objects.filter(programme=self.programme, user=person).exists()


@pytest.mark.django_db
def test_every_rollup_equals_a_rebuild_after_any_sequence_of_workflows():
    run_state_machine_as_test(
        Workflows,
        settings=settings(
            max_examples=examples(full=10, test=5),  # tests/harness/examples.py
            stateful_step_count=10,
            deadline=None,
            derandomize=True,  # the same sequences every run; ``make bench`` runs all ten
            phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: the steps are printed
            suppress_health_check=list(HealthCheck),
        ),
    )
