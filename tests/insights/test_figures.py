"""Each figure against the hand-computed organisation in conftest.py (roll-ups rebuilt from scratch)."""

from __future__ import annotations

import pytest

from openhelp.organisers.insights import buckets, rollup
from openhelp.organisers.insights.figures import Filters, _gap_rank, gini, report, top_share
from tests.factories import TeamFactory
from tests.insights.conftest import END, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(org):
    rollup.rebuild()
    return report(Filters(START, END))


def test_skill_ledger_ranks_sql_first_because_nobody_offers_it(figures):
    sql, django = figures["skills"]
    assert sql["skill"] == "SQL"
    # a2, a3, a4 (the draft and February's ask do not count); a3 expired and a4 unmatched.
    assert (sql["asks"], sql["experts"], sql["capacity_per_week"]) == (3, 0, 0)
    assert sql["unmatched_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert sql["mean_hours_to_accept"] == 2.0  # only a2: 120 minutes
    assert sql["asks_previous_period"] == 1 and sql["trend"] == 2.0  # 1 → 3
    assert "Nobody offers SQL" in sql["action"]
    assert (django["asks"], django["experts"], django["capacity_per_week"]) == (2, 2, 4)
    assert django["unmatched_share"] == 0
    assert django["mean_hours_to_accept"] == 1.5  # 60 and 120 minutes
    assert django["pressure"] == pytest.approx((2 / 4) / 4, abs=0.01)  # 0.5 asks a week ÷ 4 sessions a week
    assert django["trend"] is None  # nothing in the previous period


def test_among_skills_nobody_offers_the_most_asked_comes_first():
    # The chart shows asks beside capacity: with no capacity, more asks is the bigger gap, whatever the
    # share of them that went unmatched ("Azure 1" above "Flask 16" read as unsorted).
    def row(skill, asks, capacity, unmatched):
        per_week = asks / 12
        return {
            "skill": skill,
            "asks": asks,
            "asks_per_week": round(per_week, 2),
            "capacity_per_week": capacity,
            "pressure": round(per_week / capacity, 2) if capacity else None,
            "unmatched_share": unmatched,
        }

    rows = [row("Azure", 1, 0, 1.0), row("Flask", 16, 0, 0.5), row("React", 10, 4, 0.0), row("Go", 2, 0, 0.0)]
    assert [r["skill"] for r in sorted(rows, key=_gap_rank)] == ["Flask", "Go", "Azure", "React"]


def test_speed_percentiles_and_outcomes(figures):
    speed = figures["speed"]
    assert (speed["asks"], speed["accepted"], speed["unmatched_share"]) == (4, 2, 0.5)
    # 60 and 120 minutes: the median is the 60-minute bucket (≤ 64 min), p90 the 120-minute one (≤ 128).
    assert speed["accept_p50_minutes"] == 64 == buckets.upper_edge(buckets.bucket_of(60))
    assert speed["accept_p90_minutes"] == 128
    # a1 was completed 24 h after publishing: bucket (1351, 1448].
    assert speed["help_p50_minutes"] == pytest.approx(2**10.5)
    assert speed["solved_rate"] == pytest.approx(1 / 3, abs=1e-4)  # s1 solved; s2 partly; s4 not yet
    assert speed["ratings"] == {
        "count": 3,
        "mean": 4.0,
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1},
    }
    assert speed["feedback_texts"] == 1
    weeks = {w["week"]: w for w in speed["weekly"]}
    assert list(weeks) == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
    assert (
        weeks["2026-03-02"]["accept_p50_minutes"] == 64 and weeks["2026-03-09"]["accept_p50_minutes"] == 128
    )
    assert weeks["2026-03-23"]["accept_p50_minutes"] is None
    assert weeks["2026-03-02"]["solved_rate"] == 1.0 and weeks["2026-03-09"]["solved_rate"] == 0.0


def test_participation(figures):
    people = figures["participation"]
    assert people["people"] == 14  # 6 + 5 + 2 + the organiser
    assert (people["active_mentees"], people["active_mentors"]) == (
        4,
        2,
    )  # Max's s5–s8 count, not s3 (cancelled)
    assert people["sessions_completed"] == 4  # s1, s2, s4, s5
    assert people["learning_density"] == round(4 / (14 / 100) / 4, 2)
    assert people["moments_logged"] == 2
    week = {w["week"]: w for w in people["weekly"]}
    assert week["2026-03-23"] == {"week": "2026-03-23", "active_mentees": 1, "active_mentors": 1}


def test_load_fairness_and_burnout(figures):
    load = figures["load"]
    assert load["active_mentors"] == 2 and load["sessions"] == 7  # Mia 3, Max 4 (s5–s8)
    assert load["top_10_percent_share"] == round(4 / 7, 4)
    assert load["gini"] == round(2 * (3 + 2 * 4) / (2 * 7) - 3 / 2, 4)
    (alert,) = load["burnout_alerts"]  # Max: 2 and 2 sessions against a capacity of 1
    assert (alert["mentor"], alert["sessions"], alert["capacity_per_week"]) == ("Max", [2, 2], 1)
    assert alert["weeks"] == ["2026-03-16", "2026-03-23"]
    assert "Suggest a pause" in alert["action"]


def test_teams_small_ones_merged_into_other(figures):
    # B (2) and "No team" (the organiser, 1) make an "Other" of 3 < 5, so C (5) joins it: every row ≥ 5.
    assert figures["teams"] == [
        {"team": "Team A", "people": 6, "active_people": 6, "sessions_completed": 4},
        {"team": "Other", "people": 8, "active_people": 0, "sessions_completed": 0},
    ]


def test_a_team_filter_on_a_small_team_hides_everything(org):
    rollup.rebuild()
    team_a, team_b, _ = org["teams"]
    hidden = report(Filters(START, END, team_id=team_b.pk))
    assert hidden["hidden"] and "skills" not in hidden and hidden["people"] is None
    shown = report(Filters(START, END, team_id=team_a.pk))
    assert shown["hidden"] is None and shown["participation"]["people"] == 6
    assert shown["teams"] == []


def test_a_team_merged_into_other_is_not_shown_on_its_own(org):
    """Team C has five people, but "Other" (B, C and the organiser) minus Team C would be three people:
    a team merged into "Other" is never shown alone, whatever its size."""
    rollup.rebuild()
    team_c = org["teams"][2]
    hidden = report(Filters(START, END, team_id=team_c.pk))
    assert hidden["people"] is None and "part of “Other”" in hidden["hidden"]


def test_programme_filter(org):
    from openhelp.directory.programmes.models import Membership, Programme

    # The whole of Team A (6 people): released, since nobody in Team A is left outside it.
    programme = Programme.objects.create(name="Data guild", slug="data-guild")
    for user in (org["mia"], org["max"], *org["mentees"]):
        Membership.objects.create(programme=programme, user=user)
    asks = org["asks"]
    asks["a1"].programme = programme
    asks["a1"].save()
    rollup.rebuild()
    scoped = report(Filters(START, END, programme_id=programme.pk))
    assert scoped["speed"]["asks"] == 1 and scoped["participation"]["people"] == 6
    # Moments belong to no programme: counted by membership, one member joining would reveal theirs.
    assert scoped["participation"]["moments_logged"] is None
    assert scoped["teams"] == [{"team": "Team A", "people": 6, "active_people": 1, "sessions_completed": 0}]


def test_a_programme_of_two_shows_no_figure(org):
    """The reported leak: a programme of two showed one person's private moment count."""
    from openhelp.directory.programmes.models import Membership, Programme

    pair = Programme.objects.create(name="Pair", slug="pair")
    for user in (org["mentees"][0], org["mia"]):
        Membership.objects.create(programme=pair, user=user)
    rollup.rebuild()
    scoped = report(Filters(START, END, programme_id=pair.pk))
    assert scoped["people"] is None and "fewer than 5 people" in scoped["hidden"]
    assert not {"skills", "speed", "participation", "teams", "load"} & set(scoped)


def test_a_programme_one_short_of_a_team_is_withheld(org):
    """Team A minus one person has five members, but Team A's figures minus the programme's would be
    that one person's: the programme is withheld, and Team A stays shown."""
    from openhelp.directory.programmes.models import Membership, Programme

    almost = Programme.objects.create(name="Almost A", slug="almost-a")
    for user in (org["mia"], org["max"], *org["mentees"][:3]):
        Membership.objects.create(programme=almost, user=user)
    rollup.rebuild()
    scoped = report(Filters(START, END, programme_id=almost.pk))
    assert scoped["people"] is None and "programme's figures are not shown" in scoped["hidden"]
    assert report(Filters(START, END, team_id=org["teams"][0].pk))["participation"]["people"] == 6


def test_gini_and_top_share_helpers():
    assert gini([]) is None and gini([0, 0]) is None
    assert gini([5, 5, 5, 5]) == 0
    assert gini([0, 0, 0, 10]) == 0.75  # (n-1)/n when one of n carries everything
    assert top_share([3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == 1.0  # top 2 of 11 carry all 4
    assert top_share(list(range(1, 11))) == round(10 / 55, 4)
    assert top_share([1] * 20) == 0.1  # top 2 of 20


def test_the_database_ranking_matches_the_reference_formulas():
    import datetime as dt
    import random

    from openhelp.organisers.insights.figures import _distribution
    from openhelp.organisers.insights.models import PersonWeek

    rng = random.Random(7)
    week = dt.date(2026, 3, 2)
    loads = [rng.choice([0, 1, 1, 2, 3, 5, 8, 13]) for _ in range(57)]
    PersonWeek.objects.bulk_create(
        [PersonWeek(week=week, user_id=i + 1, mentor_sessions=n) for i, n in enumerate(loads)]
        + [PersonWeek(week=week + dt.timedelta(weeks=1), user_id=1, mentor_sessions=4)]
    )
    loads[0] += 4
    carried = [n for n in loads if n]
    assert _distribution(Filters(week, week + dt.timedelta(days=13))) == (
        len(carried),
        sum(carried),
        top_share(carried),
        gini(carried),
    )


def test_joining_a_programme_does_not_bring_a_persons_history_into_its_figures(org):
    """Comparing a programme's figures for a past period before and after people join must not give
    their history: only the people counts (public: who is a member) change, never an activity figure.
    (Moments used to be counted by current membership, so a joiner's moments appeared in the past.)"""
    from openhelp.directory.programmes.models import Membership, Programme
    from tests.factories_mentoring import SessionFactory
    from tests.factories_moments import MomentFactory
    from tests.insights.conftest import _people, at

    team_d = TeamFactory(name="Team D")
    joiners = _people(5, team_d, "dee")
    for i, person in enumerate(joiners):
        MomentFactory(author=person, created_at=at(4 + i))
        SessionFactory(mentor=org["mia"], mentee=person, starts_at=at(5 + i), state="completed")
    guild = Programme.objects.create(name="Guild", slug="guild")
    for user in (org["mia"], org["max"], *org["mentees"]):
        Membership.objects.create(programme=guild, user=user)
    rollup.rebuild()
    before = report(Filters(START, END, programme_id=guild.pk))
    for user in joiners:
        Membership.objects.create(programme=guild, user=user)
    after = report(Filters(START, END, programme_id=guild.pk))
    assert before["hidden"] is None and after["hidden"] is None
    assert (before["people"], after["people"]) == (6, 11)
    for section in ("speed", "load"):
        assert after[section] == before[section]
    people_figures = {"people", "learning_density"}
    assert {k: v for k, v in after["participation"].items() if k not in people_figures} == {
        k: v for k, v in before["participation"].items() if k not in people_figures
    }
    assert after["participation"]["moments_logged"] is None
