"""Candidate retrieval: who may be offered an ask, and who never is."""

from __future__ import annotations

import datetime as dt

import pytest

from openhelp.directory.people.capacity import capacity_for
from openhelp.directory.people.models import Block, Profile
from openhelp.directory.skills.services import resolve_skill
from openhelp.help.asks.models import AskState
from openhelp.help.routing.candidates import count_candidates, rank_candidates
from openhelp.help.routing.models import DeclineReason, OfferState
from openhelp.help.routing.profiles import candidates_for
from openhelp.help.routing.retrieval import BROADER, EXACT, NARROWER, RELATED, skill_pool
from openhelp.platform.lib.clock import now
from tests.factories import LanguageFactory, UserFactory
from tests.factories_asks import ask_in_state
from tests.factories_people import make_people
from tests.factories_routing import OfferFactory, make_mentor, open_ask, profile_of
from tests.harness.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


def ranked_names(ask, **kwargs) -> set[str]:
    return {match.display_name for match in rank_candidates(ask, **kwargs)}


def test_it_finds_mentors_of_the_skill_its_children_and_its_parents(skills, mentee):
    make_mentor(skills["django"], name="Exact")
    make_mentor(skills["orm"], name="Child")
    make_mentor(skills["python"], name="Parent")
    make_mentor(skills["flask"], name="Sibling")
    make_mentor(skills["negotiation"], name="Unrelated")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Exact", "Child", "Parent"}


def test_it_adds_siblings_and_lower_levels_only_to_the_widened_pool(skills, mentee):
    make_mentor(skills["django"], name="Exact")
    make_mentor(skills["flask"], name="Sibling")
    make_mentor((skills["django"], 1), name="Beginner")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Exact"}
    assert ranked_names(ask, widened=True) == {"Exact", "Sibling", "Beginner"}


def test_it_describes_how_each_skill_relates_to_the_ask(skills):
    pool = skill_pool([skills["django"].pk], widened=True)

    assert pool.relation[skills["django"].pk] == EXACT
    assert pool.relation[skills["orm"].pk] == NARROWER
    assert pool.relation[skills["python"].pk] == BROADER
    assert pool.relation[skills["flask"].pk] == RELATED
    assert skills["negotiation"].pk not in pool.relation
    assert pool.names[skills["orm"].pk] == "Django ORM"
    django = skills["django"].pk
    assert pool.stands_for == {
        skills["orm"].pk: django,
        skills["python"].pk: django,
        skills["flask"].pk: django,
    }


def test_an_ask_written_with_an_alias_reaches_mentors_of_the_skill(skills, mentee):
    make_mentor(skills["kubernetes"], name="Kube")
    ask = open_ask(skills=[resolve_skill("K8S")], mentee=mentee)

    assert ranked_names(ask) == {"Kube"}


def test_it_never_offers_the_mentee_or_a_co_asker(skills, mentee):
    Profile.objects.filter(user=mentee).update(open_to_help=True, sessions_per_week=3)
    profile_of(mentee).skills_offered.create(skill=skills["django"], level=5)
    co_asker = make_mentor(skills["django"], name="Co-asker")
    make_mentor(skills["django"], name="Other")
    ask = open_ask(skills=[skills["django"]], mentee=mentee, co_askers=[co_asker])

    assert ranked_names(ask) == {"Other"}


def test_it_skips_paused_people_until_the_pause_ends(skills, mentee):
    today = now().date()
    make_mentor(skills["django"], name="Paused", paused_until=today + dt.timedelta(days=3))
    make_mentor(skills["django"], name="Back today", paused_until=today)
    make_mentor(skills["django"], name="Not open", open_to_help=False)
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Back today"}


def test_it_skips_people_without_capacity_left_this_week(skills, mentee):
    full = make_mentor(skills["django"], name="Full", sessions_per_week=1)
    ask_in_state(AskState.ACCEPTED, helper=full, accepted_at=now())
    make_mentor(skills["django"], name="Zero", sessions_per_week=0)
    make_mentor(skills["django"], name="No limit", sessions_per_week=None)
    make_mentor(skills["django"], name="Room left", sessions_per_week=2)
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert capacity_for(profile_of(full)).is_full
    assert ranked_names(ask) == {"No limit", "Room left"}


def test_last_weeks_asks_do_not_use_this_weeks_capacity(skills, mentee):
    busy_last_week = make_mentor(skills["django"], name="Rested", sessions_per_week=1)
    ask_in_state(AskState.COMPLETED, helper=busy_last_week, accepted_at=now() - dt.timedelta(days=8))
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Rested"}


def test_it_never_offers_an_ask_twice_to_the_same_person(skills, mentee):
    decliner = make_mentor(skills["django"], name="Declined")
    silent = make_mentor(skills["django"], name="Let it expire")
    make_mentor(skills["django"], name="Fresh")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    OfferFactory(ask=ask, mentor=decliner, state=OfferState.DECLINED, decline_reason=DeclineReason.NO_TIME)
    OfferFactory(ask=ask, mentor=silent, state=OfferState.EXPIRED)

    assert ranked_names(ask) == {"Fresh"}


def test_it_respects_blocks_in_both_directions(skills, mentee):
    blocked_by_mentee = make_mentor(skills["django"], name="Blocked by mentee")
    blocker_of_mentee = make_mentor(skills["django"], name="Blocks the mentee")
    make_mentor(skills["django"], name="Fine")
    Block.objects.create(blocker=mentee, blocked=blocked_by_mentee)
    Block.objects.create(blocker=blocker_of_mentee, blocked=mentee)
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Fine"}
    assert count_candidates(skill_ids=[skills["django"].pk], mentee=mentee) == 1


def test_it_respects_the_asks_languages(skills, mentee):
    german, english = LanguageFactory(code="de", name="German"), LanguageFactory(code="en", name="English")
    make_mentor(skills["django"], name="Deutsch", languages=[german, english])
    make_mentor(skills["django"], name="English only", languages=[english])
    make_mentor(skills["django"], name="No languages")
    in_german = open_ask(skills=[skills["django"]], mentee=mentee, languages=[german])
    any_language = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(in_german) == {"Deutsch"}
    assert ranked_names(any_language) == {"Deutsch", "English only", "No languages"}


def test_it_skips_deactivated_accounts(skills, mentee):
    gone = make_mentor(skills["django"], name="Gone")
    gone.is_active = False
    gone.save()
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == set()


def test_count_candidates_applies_the_same_rules_as_routing(skills, mentee):
    german = LanguageFactory(code="de", name="German")
    make_mentor(skills["django"], languages=[german])
    make_mentor(skills["orm"], languages=[german])
    make_mentor(skills["django"], paused_until=now().date() + dt.timedelta(days=1), languages=[german])
    make_mentor(skills["negotiation"], languages=[german])

    assert count_candidates(skill_ids=[skills["django"].pk], language_ids=[german.pk], mentee=mentee) == 2
    assert count_candidates(skill_ids=[skills["django"].pk], language_ids=[], mentee=None) == 2
    assert count_candidates(skill_ids=[], language_ids=[german.pk], mentee=mentee) == 0


def test_it_reads_responsiveness_load_and_past_help_for_the_scorer(skills, mentee):
    mentor = make_mentor(skills["django"], name="Seasoned", headline="Django and PostgreSQL")
    start = now() - dt.timedelta(days=10)
    for hours, state in [(1, OfferState.ACCEPTED), (3, OfferState.ACCEPTED), (5, OfferState.DECLINED)]:
        OfferFactory(
            mentor=mentor, state=state, created_at=start, responded_at=start + dt.timedelta(hours=hours)
        )
    OfferFactory(mentor=mentor, state=OfferState.EXPIRED, created_at=start)
    # A pause says nothing about responsiveness.
    OfferFactory(
        mentor=mentor, state=OfferState.DECLINED, decline_reason=DeclineReason.PAUSED, responded_at=start
    )
    ask_in_state(
        AskState.COMPLETED,
        helper=mentor,
        mentee=mentee,
        accepted_at=now() - dt.timedelta(days=9),
        title="ORM tuning",
    )
    ask = open_ask(skills=[skills["django"]], mentee=mentee, title="Slow queries in Django")

    found = candidates_for(ask, pool=skill_pool([skills["django"].pk]), load_window_weeks=4)

    [profile] = found.mentors
    assert (profile.id, profile.name) == (mentor.pk, "Seasoned")
    assert found.profile_ids[mentor.pk] == profile_of(mentor).pk
    assert (profile.offers_received, profile.offers_accepted) == (4, 2)
    assert profile.median_response_hours == pytest.approx(3)
    assert profile.recent_sessions == 1
    assert [help_.title for help_ in profile.past_help] == ["ORM tuning"]
    assert profile.past_help[0].weight > 1
    assert profile.skills == {skills["django"].pk: 3}
    assert (profile.capacity_total, profile.capacity_used) == (3, 0)  # last week's ask does not count
    assert "PostgreSQL" in profile.profile_text
    assert profile.window.utc_offset_minutes in {60, 120}  # Berlin, winter or summer
    assert found.ask.known_mentor_ids == {mentor.pk}
    assert found.ask.skill_ids == {skills["django"].pk}
    assert "Slow queries" in found.ask.text


def test_retrieval_costs_the_same_queries_for_ten_or_hundreds_of_mentors(skills, mentee):
    german = LanguageFactory(code="de", name="German")
    ask = open_ask(skills=[skills["django"]], mentee=mentee, languages=[german])

    assert_constant_queries(
        grow=lambda n: make_people(n, skills=[skills["django"]], languages=[german]),
        action=lambda: rank_candidates(ask, widened=True),
        small=10,
        large=300,
    )
    assert len(rank_candidates(ask, widened=True)) == 300
    assert count_queries(lambda: rank_candidates(ask, widened=True)) <= 15


def test_a_stranger_without_any_skills_gets_no_candidates(mentee):
    ask = open_ask(skills=[], mentee=mentee)
    UserFactory()

    assert rank_candidates(ask) == []


def test_a_huge_pool_is_cut_to_the_strongest_fits_before_scoring(skills, mentee, settings):
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": 2}
    make_mentor((skills["django"], 5), name="Exact expert A")
    make_mentor((skills["django"], 5), name="Exact expert B")
    make_mentor((skills["django"], 3), name="Exact practitioner")
    make_mentor((skills["python"], 5), name="Broader expert")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert ranked_names(ask) == {"Exact expert A", "Exact expert B"}
    assert count_candidates(skill_ids=[skills["django"].pk], mentee=mentee) == 4
