"""Each ranking signal on plain data: its score in [0, 1] and its reason in plain words."""

from __future__ import annotations

import pytest

from openhelp.directory.matching import ranking_signals as signals
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights
from openhelp.directory.matching.types import WorkingWindow
from tests.matching.helpers import DJANGO, POSTGRES, PYTHON, ask, context_for, helped, mentor


def run(signal, the_ask, the_mentor, pool=None, weights=DEFAULT_WEIGHTS):
    context = context_for(the_ask, pool or [the_mentor], weights)
    return signal(the_ask, the_mentor, context, True)


def test_it_scores_skill_fit_from_the_declared_level():
    result = run(signals.skill_fit, ask(skill_ids={POSTGRES}), mentor(1, skills={POSTGRES: 4}))
    assert result.score == pytest.approx(0.8)
    assert result.reason == "teaches PostgreSQL at level 4"


def test_it_averages_skill_fit_over_every_asked_skill():
    result = run(signals.skill_fit, ask(skill_ids={POSTGRES, DJANGO}), mentor(1, skills={POSTGRES: 5}))
    assert result.score == pytest.approx(0.5)


def test_it_gives_part_credit_for_a_related_skill():
    the_ask = ask(skill_ids={DJANGO}, related_skill_ids={PYTHON: DJANGO})
    result = run(signals.skill_fit, the_ask, mentor(1, skills={PYTHON: 4}))
    assert result.score == pytest.approx(0.5 * 0.8)
    assert result.reason == "teaches Python (related to Django) at level 4"


def test_it_scores_no_skill_overlap_as_zero_and_a_skill_less_ask_as_neutral():
    assert run(signals.skill_fit, ask(skill_ids={POSTGRES}), mentor(1, skills={DJANGO: 5})).score == 0
    neutral = run(signals.skill_fit, ask(text="help"), mentor(1, skills={DJANGO: 5}))
    assert neutral.score == DEFAULT_WEIGHTS.neutral
    assert neutral.reason is None


def test_it_measures_proven_help_as_a_share_of_recent_help_on_the_skill():
    busy = mentor(1, past_help=tuple(helped(f"pg {n}", POSTGRES) for n in range(3)))
    once = mentor(2, past_help=(helped("pg index", POSTGRES),))
    pool = [busy, once]
    the_ask = ask(skill_ids={POSTGRES})
    first, second = (
        run(signals.proven_help, the_ask, busy, pool),
        run(signals.proven_help, the_ask, once, pool),
    )
    assert 0 < second.score < first.score <= 1
    assert first.reason == "has helped with PostgreSQL 3 times before"
    assert second.reason == "has helped with PostgreSQL once before"


def test_it_counts_old_help_for_less():
    recent = mentor(1, past_help=(helped("pg", POSTGRES, age_days=5),))
    old = mentor(2, past_help=(helped("pg", POSTGRES, age_days=600),))
    the_ask = ask(skill_ids={POSTGRES})
    pool = [recent, old]
    assert (
        run(signals.proven_help, the_ask, recent, pool).score
        > run(signals.proven_help, the_ask, old, pool).score
    )


def test_it_scores_text_relevance_against_past_help_with_the_best_match_at_one():
    expert = mentor(1, past_help=(helped("slow postgres query planner ignores index"),))
    other = mentor(2, past_help=(helped("css grid layout alignment"),))
    the_ask = ask(text="Why does the postgres planner ignore my index?")
    pool = [expert, other]
    best = run(signals.relevance, the_ask, expert, pool)
    assert best.score == pytest.approx(1.0)
    assert best.reason == "helped with a similar question: “slow postgres query planner ignores index”"
    assert run(signals.relevance, the_ask, other, pool).score == 0


def test_it_names_a_phrase_the_ask_and_the_experience_share_when_no_past_question_is_similar():
    profile = mentor(1, profile_text="I tune postgres replication and vacuum.")
    result = run(signals.relevance, ask(text="postgres replication lag"), profile)
    assert result.reason == "has experience with postgres replication"


def test_it_never_names_a_lone_everyday_word_as_experience():
    the_ask = ask(text="How do I ship my first release?")
    shipper = mentor(1, profile_text="I ship mobile apps every week.")
    result = run(signals.relevance, the_ask, shipper)
    assert result.score > 0
    assert result.reason is None  # not "has experience with ship"
    with_help = mentor(2, past_help=(helped("Ship a hotfix on a Friday"),))
    assert run(signals.relevance, the_ask, with_help).reason == "helped with “Ship a hotfix on a Friday”"


def test_it_names_no_past_help_that_shares_only_the_asked_skills_name():
    the_ask = ask(text="Django migration without downtime", skill_ids={DJANGO})
    beginner_help = mentor(1, skills={DJANGO: 3}, past_help=(helped("How do I get started with Django?"),))
    assert run(signals.relevance, the_ask, beginner_help).reason is None
    on_topic = mentor(2, skills={DJANGO: 3}, past_help=(helped("Zero downtime deploys"),))
    assert run(signals.relevance, the_ask, on_topic).reason == "helped with “Zero downtime deploys”"


def test_it_names_a_skill_the_ask_mentions_but_not_one_skill_fit_already_names():
    the_ask = ask(text="Deploy django with postgresql on a small server", skill_ids={POSTGRES})
    teaches_both = mentor(1, skills={POSTGRES: 4, DJANGO: 3})
    assert run(signals.relevance, the_ask, teaches_both).reason == "has experience with Django"
    wrote_about_it = mentor(2, profile_text="Ten years of PostgreSQL, mostly deploy scripts.")
    assert run(signals.relevance, the_ask, wrote_about_it).reason == "has experience with PostgreSQL"


def test_it_names_technical_terms_that_no_everyday_word_spells():
    profile = mentor(1, profile_text="I moved our node.js services to k8s last year.")
    result = run(signals.relevance, ask(text="k8s ingress for node.js: how to route them"), profile)
    assert result.reason in {"has experience with node.js and k8s", "has experience with k8s and node.js"}


def test_it_scores_capacity_left_this_week():
    result = run(signals.availability, ask(), mentor(1, capacity_total=3, capacity_used=1))
    assert result.score == pytest.approx(2 / 3)
    assert result.reason == "has 2 of 3 sessions left this week"


def test_it_adds_the_soonest_office_hours_slot_to_availability():
    result = run(signals.availability, ask(), mentor(1, next_slot_hours=48))
    assert result.score == pytest.approx(0.5)
    assert result.reason == "has an office-hours slot free within 2 days"


def test_it_scores_responsiveness_from_reply_time_and_acceptance():
    result = run(signals.responsiveness, ask(), mentor(1, median_response_hours=3))
    assert result.score == pytest.approx(1 / (1 + 3 / 24))
    assert result.reason == "usually replies within 3 hours"
    both = run(
        signals.responsiveness,
        ask(),
        mentor(1, median_response_hours=3, offers_received=10, offers_accepted=8),
    )
    assert both.score == pytest.approx((1 / (1 + 3 / 24) + 9 / 12) / 2)
    accepts = run(signals.responsiveness, ask(), mentor(1, offers_received=10, offers_accepted=8))
    assert accepts.reason == "accepted 8 of their last 10 requests"


def test_it_scores_recent_activity_against_the_most_active_mentor():
    busy = mentor(1, past_help=(helped("a", age_days=3), helped("b", age_days=20), helped("c", age_days=400)))
    quiet = mentor(2, past_help=(helped("d", age_days=300),))
    pool = [busy, quiet]
    top = run(signals.activity, ask(), busy, pool)
    assert top.score == pytest.approx(1.0)
    assert 0 < run(signals.activity, ask(), quiet, pool).score < 1
    assert top.reason == "helped twice in the last 90 days"


def test_it_spreads_load_away_from_mentors_with_many_recent_sessions():
    flooded = run(signals.load, ask(), mentor(1, capacity_total=2, recent_sessions=8))
    idle = run(signals.load, ask(), mentor(2, capacity_total=2, recent_sessions=0))
    assert flooded.score == 0
    assert idle.score == 1
    assert idle.reason == "has had no sessions in the last 4 weeks"
    assert run(signals.load, ask(), mentor(3)).score == DEFAULT_WEIGHTS.neutral


def test_it_scores_the_working_day_overlap():
    the_ask = ask(window=WorkingWindow(start_minute=12 * 60, end_minute=20 * 60))
    result = run(
        signals.timezone, the_ask, mentor(1, window=WorkingWindow(start_minute=8 * 60, end_minute=17 * 60))
    )
    assert result.score == pytest.approx(5 / 8)
    assert result.reason == "08:00–17:00 overlaps your day by 5 hours"


def test_it_converts_the_mentors_day_to_the_mentees_time_zone():
    the_ask = ask(window=WorkingWindow(start_minute=9 * 60, end_minute=17 * 60, utc_offset_minutes=0))
    tokyo = mentor(1, window=WorkingWindow(start_minute=9 * 60, end_minute=18 * 60, utc_offset_minutes=540))
    result = run(signals.timezone, the_ask, tokyo)
    assert result.score == 0  # Tokyo's 09:00–18:00 is 00:00–09:00 in London
    night_shift = mentor(
        2, window=WorkingWindow(start_minute=22 * 60, end_minute=10 * 60, utc_offset_minutes=0)
    )
    wrapped = run(signals.timezone, the_ask, night_shift)
    assert wrapped.score == pytest.approx(1 / 8)
    assert run(signals.timezone, ask(), tokyo).score == DEFAULT_WEIGHTS.neutral


def test_it_prefers_a_fresh_perspective_unless_the_mentee_wants_someone_known():
    stranger, known = mentor(1), mentor(2)
    the_ask = ask(known_mentor_ids=frozenset({2}))
    assert run(signals.fresh_perspective, the_ask, stranger).reason == "someone you have not met yet"
    assert run(signals.fresh_perspective, the_ask, stranger).score == 1
    assert run(signals.fresh_perspective, the_ask, known).score == 0
    wants_known = ask(known_mentor_ids=frozenset({2}), wants_known=True)
    assert run(signals.fresh_perspective, wants_known, known).score == 1
    assert run(signals.fresh_perspective, wants_known, known).reason == "you have worked together before"
    assert run(signals.fresh_perspective, wants_known, stranger).score == 0


def test_it_keeps_every_signal_between_zero_and_one():
    busy = mentor(
        1,
        skills={POSTGRES: 5},
        past_help=tuple(helped("postgres index", POSTGRES, age_days=0, weight=2) for _ in range(5)),
        capacity_total=1,
        median_response_hours=0,
        offers_received=3,
        offers_accepted=3,
        window=WorkingWindow(0, 0),
    )
    the_ask = ask(text="postgres index", skill_ids={POSTGRES}, window=WorkingWindow(9 * 60, 17 * 60))
    for name, signal in signals.SIGNALS.items():
        assert 0 <= run(signal, the_ask, busy, weights=Weights()).score <= 1, name


def test_it_never_names_counting_or_time_words_as_experience():
    profile = mentor(
        1,
        profile_text="My first two weeks running A/B tests taught me statistics.",
        skills={5: 3},
        skill_names={5: "Statistics"},
    )
    the_ask = ask(text="I ran a test for two weeks; is it significant? First time doing statistics.")
    result = run(signals.relevance, the_ask, profile)
    assert result.score > 0
    assert result.reason == "has experience with Statistics"
    only_general = run(signals.relevance, ask(text="two weeks"), mentor(1, profile_text="two weeks"))
    assert only_general.score > 0 and only_general.reason is None
