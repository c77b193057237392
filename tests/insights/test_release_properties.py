"""Property-based proof of the k-anonymity release (openhelp/organisers/insights/privacy.py, docs/privacy.md).

For random organisations (people, teams, programme memberships) every selection an organiser can ask for
— the organisation, a team, a programme, a team within a programme, and every row of a breakdown by team —
is either refused or covers at least k people; and no sum or difference of the figures of any number of
allowed selections can single out fewer than k people (checked two ways: the atoms the shown sets cut the
organisation into all hold at least k people, and no person's indicator is a linear combination of the
shown sets, by exact Gaussian elimination).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from openhelp.organisers.insights.privacy import OTHER_LABEL, release

TEAMS = ("Alpha", "Beta", "Gamma", "Delta", "No team", OTHER_LABEL)  # a real team may be called "Other"
PROGRAMMES = (1, 2, 3, 4)

person = st.tuples(st.sampled_from(TEAMS), st.frozensets(st.sampled_from(PROGRAMMES), max_size=3))
scattered = st.lists(person, max_size=40)
# People in clumps of the same team and programmes, as in a real organisation: many selections are then
# large enough to be shown, and the differences between them are what is tested.
clumped = st.lists(st.tuples(person, st.integers(1, 9)), max_size=8).map(
    lambda groups: [who for who, n in groups for _ in range(n)]
)
organisation = st.one_of(scattered, clumped)
minimum = st.sampled_from([2, 3, 5])


def shown_sets(people: list[tuple[str, frozenset]], k: int) -> list[frozenset[int]]:
    """Every set of people whose figures the release lets an organiser see (asking every filter)."""
    released = release(people, min_size=k)
    shown: list[frozenset[int]] = []
    for programme in (None, *PROGRAMMES):
        for team in (None, *TEAMS):
            refusal = released.refusal(team=team, programme=programme)
            selected = frozenset(
                i
                for i, (their_team, theirs) in enumerate(people)
                if (team is None or their_team == team) and (programme is None or programme in theirs)
            )
            if refusal is not None:
                continue
            assert len(selected) == released.people(team=team, programme=programme) >= k
            shown.append(selected)
            if team is None:  # the breakdown by team shown with it
                rows = released.group_sizes(programme)
                for group, n in rows.items():
                    members = frozenset(i for i in selected if released.labels[people[i][0]] == group)
                    assert len(members) == n >= k
                    shown.append(members)
                assert sum(rows.values()) == len(selected), "the rows add up to the total"
    return shown


def atoms(sets: list[frozenset[int]], n: int) -> dict[tuple, int]:
    sizes: dict[tuple, int] = {}
    for i in range(n):
        key = tuple(i in s for s in sets)
        if any(key):
            sizes[key] = sizes.get(key, 0) + 1
    return sizes


def solvable_people(sets: list[frozenset[int]], n: int) -> list[int]:
    """The people whose own figure is a rational linear combination of the sets' figures, i.e. whose
    indicator vector lies in the span of the sets' (exact Gaussian elimination)."""
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, reduced row)

    def reduce(vector: list[Fraction]) -> list[Fraction]:
        for pivot, row in basis:
            if vector[pivot]:
                factor = vector[pivot] / row[pivot]
                vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
        return vector

    for s in sets:
        reduced = reduce([Fraction(int(i in s)) for i in range(n)])
        pivot = next((i for i, x in enumerate(reduced) if x), None)
        if pivot is not None:
            basis.append((pivot, reduced))
    return [i for i in range(n) if not any(reduce([Fraction(int(j == i)) for j in range(n)]))]


@settings(max_examples=300, deadline=None)
@given(people=organisation, k=minimum)
def test_no_shown_set_and_no_combination_of_shown_sets_covers_fewer_than_k_people(people, k):
    shown = shown_sets(people, k)
    assert all(len(s) >= k for s in shown)
    # Two allowed selections never differ by fewer than k people (0 = the same people).
    for a, b in combinations(shown, 2):
        assert len(a ^ b) == 0 or len(a ^ b) >= k
    # Stronger: every atom of the shown sets holds at least k people, so any sum or difference of
    # shown figures is a sum over whole atoms …
    assert all(n >= k for n in atoms(shown, len(people)).values())
    # … and, independently of that argument, no single person can be solved for.
    assert solvable_people(list(set(shown)), len(people)) == []


@settings(max_examples=200, deadline=None)
@given(people=organisation, k=minimum)
def test_an_organisation_under_k_shows_nothing_and_one_of_k_shows_itself(people, k):
    shown = shown_sets(people, k)
    if len(people) < k:
        assert shown == []
    else:
        assert frozenset(range(len(people))) in shown


@settings(max_examples=200, deadline=None)
@given(people=organisation, k=minimum, newer=st.sampled_from(PROGRAMMES))
def test_a_newer_programme_never_withdraws_an_older_one(people, k, newer):
    """The release considers programmes oldest first: creating a programme with members cannot make an
    older programme's figures disappear."""
    before = release(
        [(team, theirs - {p for p in theirs if p >= newer}) for team, theirs in people], min_size=k
    )
    after = release(people, min_size=k)
    older_before = {p for p in before.programmes if p < newer}
    assert older_before <= after.programmes


def test_the_reported_cases():
    # A programme of two (one of them the person whose moments were exposed) is refused.
    two = [("Alpha", frozenset({1}))] * 2 + [("Alpha", frozenset())] * 8
    assert release(two).refusal(programme=1) is not None
    # A programme that is a team minus one person: refused, since the team minus the programme is one.
    almost = [("Alpha", frozenset({1}))] * 5 + [("Alpha", frozenset())] + [("Beta", frozenset())] * 5
    assert release(almost).refusal(programme=1) is not None
    # Two programmes that each leave five out but overlap in one person (P + Q − organisation = that
    # person): the newer one is refused.
    overlap = (
        [("Alpha", frozenset({1}))] * 5 + [("Alpha", frozenset({1, 2}))] + [("Alpha", frozenset({2}))] * 5
    )
    released = release(overlap)
    assert released.programmes == {1} and released.refusal(programme=2) is not None
    # The whole team is fine.
    whole = [("Alpha", frozenset({1}))] * 6 + [("Beta", frozenset())] * 5
    assert release(whole).refusal(programme=1) is None
    # A team merged into Other to make Other big enough is not shown on its own.
    merged = [("Alpha", frozenset())] * 10 + [("Beta", frozenset())] * 3 + [("Gamma", frozenset())] * 6
    labels = release(merged).labels
    assert labels["Gamma"] == labels["Beta"] == OTHER_LABEL
    assert "part of “Other”" in release(merged).refusal(team="Gamma")
