"""The shortlist read from the database: bounded queries however large the directory, best fits kept.

The shortlist is read band by band (the strongest fits first); these tests hold it to the order of
the one query over every fit it replaces, and ranking to a number of queries that does not grow.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from openhelp.directory.people.models import Block, Profile, SkillOffer
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing.candidates import rank_candidates
from openhelp.help.routing.models import Offer, OfferState
from openhelp.help.routing.retrieval import best_fits, eligible_offers, offers_by_fit, shortlist, skill_pool
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from tests.factories import LanguageFactory
from tests.factories_routing import make_mentor, open_ask
from tests.harness.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

_batch = itertools.count()


def grow_directory(n: int, *, skills, languages=(), history_of=None) -> list[User]:
    """``n`` open mentors in a few bulk queries: each offers the asked skill, a narrower or a broader
    one at varied levels; every third speaks the given languages; some helped ``history_of`` before,
    answered offers, or took an ask this week."""
    batch = next(_batch)
    pooled = [skills["django"], skills["orm"], skills["python"], skills["flask"]]
    users = User.objects.bulk_create(
        [User(email=f"grow{batch}-{i}@example.org", password="!") for i in range(n)]  # noqa: S106
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                display_name=f"Grown {batch}-{i}",
                headline="Django and databases",
                timezone=["Europe/Berlin", "Asia/Kolkata", "America/New_York"][i % 3],
                open_to_help=True,
                sessions_per_week=[1, 3, None][i % 3],
            )
            for i, user in enumerate(users)
        ]
    )
    SkillOffer.objects.bulk_create(
        [
            SkillOffer(profile=profile, skill=pooled[(i + k) % len(pooled)], level=1 + (i * 7 + k) % 5)
            for i, profile in enumerate(profiles)
            for k in range(1 + i % 2)
        ]
    )
    through = Profile.languages.through
    through.objects.bulk_create(
        [
            through(profile=profile, language=language)
            for i, profile in enumerate(profiles)
            if i % 3 == 0
            for language in languages
        ]
    )
    moment = now()
    helped = Ask.objects.bulk_create(
        [
            Ask(
                mentee=history_of or users[0],
                title="Query tuning",
                objective="Faster pages",
                state=AskState.COMPLETED,
                helper=user,
                published_at=moment - dt.timedelta(days=i % 40, hours=2),
                accepted_at=moment - dt.timedelta(days=i % 40),
            )
            for i, user in enumerate(users)
            if i % 4 == 0
        ]
    )
    Ask.skills.through.objects.bulk_create(
        [Ask.skills.through(ask=ask, skill=skills["django"]) for ask in helped]
    )
    Offer.objects.bulk_create(
        [
            Offer(
                ask=ask,
                mentor_id=ask.helper_id,
                state=OfferState.ACCEPTED,
                created_at=ask.published_at,
                expires_at=ask.published_at + dt.timedelta(days=1),
                responded_at=ask.accepted_at,
            )
            for ask in helped
        ]
    )
    return users


@pytest.mark.parametrize("shortlist_size", [1000, 15])
@pytest.mark.parametrize("widened", [False, True])
def test_ranking_costs_the_same_queries_for_10_or_200_mentors(
    skills, mentee, settings, shortlist_size, widened
):
    """With the default shortlist everyone is read; with a short one only the best fits are, and the
    queries stay the same while the directory grows twentyfold."""
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": shortlist_size}
    german = LanguageFactory(code="de", name="German")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    Block.objects.create(blocker=mentee, blocked=make_mentor(skills["django"], name="Blocked"))

    assert_constant_queries(
        grow=lambda n: grow_directory(n, skills=skills, languages=[german], history_of=mentee),
        action=lambda: rank_candidates(ask, widened=widened),
        small=10,
        large=200,
    )
    assert 0 < len(rank_candidates(ask, widened=widened)) <= shortlist_size
    assert count_queries(lambda: rank_candidates(ask, widened=widened)) <= 16


def test_facts_are_read_for_the_shortlist_only(skills, mentee, settings):
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": 7}
    grow_directory(120, skills=skills, history_of=mentee)
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    found = rank_candidates(ask)

    assert 0 < len(found) <= 7  # some of the seven may have no session left this week


@pytest.mark.parametrize("widened", [False, True])
@pytest.mark.parametrize("size", [1, 5, 40, 1000])
def test_the_shortlist_is_exactly_the_best_fits_of_one_query_over_all_fits(
    skills, mentee, settings, widened, size
):
    """Band by band, in the order of the single query over every fit (fit, then the ask's rotation)."""
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": size}
    german = LanguageFactory(code="de", name="German")
    grow_directory(150, skills=skills, languages=[german])
    pool = skill_pool([skills["django"].pk], widened=widened)
    for language_ids in ([], [german.pk]):  # a language thins every band: more bands are read
        rows = eligible_offers(pool=pool, language_ids=language_ids, asker_ids=[mentee.pk])
        for rotation in (0, 17, 4242):
            expected = best_fits(rows, pool=pool, rotation=rotation, limit=size)

            assert shortlist(rows, pool=pool, rotation=rotation) == expected


def test_the_shortlist_prefers_exact_skills_then_level_over_everything_else(skills, mentee, settings):
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": 3}
    for n in range(6):
        make_mentor((skills["python"], 5), name=f"Broader expert {n}")
        make_mentor((skills["orm"], 5), name=f"Narrower expert {n}")
    make_mentor((skills["django"], 2), name="Exact beginner")
    make_mentor((skills["django"], 4), name="Exact practitioner")
    make_mentor((skills["django"], 5), name="Exact expert")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert {m.display_name for m in rank_candidates(ask)} == {
        "Exact beginner",
        "Exact practitioner",
        "Exact expert",
    }


def test_people_the_rules_exclude_never_take_a_place_on_the_shortlist(skills, mentee, settings):
    """The best band holds only people who may not be offered the ask: the next band fills the list."""
    settings.ROUTING = {**settings.ROUTING, "SHORTLIST": 2}
    today = now().date()
    german = LanguageFactory(code="de", name="German")
    for n in range(5):
        make_mentor((skills["django"], 5), name=f"Paused {n}", paused_until=today + dt.timedelta(days=3))
        make_mentor((skills["django"], 5), name=f"No German {n}")
        blocked = make_mentor((skills["django"], 5), name=f"Blocked {n}", languages=[german])
        Block.objects.create(blocker=blocked, blocked=mentee)
    make_mentor((skills["python"], 3), name="Broader A", languages=[german])
    make_mentor((skills["python"], 2), name="Broader B", languages=[german])
    make_mentor((skills["python"], 4), name="Broader C")  # no German
    ask = open_ask(skills=[skills["django"]], mentee=mentee, languages=[german])

    assert {m.display_name for m in rank_candidates(ask)} == {"Broader A", "Broader B"}


def test_offers_are_counted_by_fit(skills):
    make_mentor((skills["django"], 4), (skills["python"], 5))
    make_mentor((skills["orm"], 3))
    make_mentor((skills["django"], 1))  # below the usual minimum level

    assert offers_by_fit(skill_pool([skills["django"].pk])) == {24: 1, 13: 1, 5: 1}
