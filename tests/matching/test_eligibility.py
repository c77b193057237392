"""The people an ask is never offered to, each with the reason why."""

from __future__ import annotations

import pytest

from openhelp.directory.matching.scorer import eligible, rank
from openhelp.directory.matching.types import MentorProfile
from tests.matching.helpers import ask, mentor

MENTEE = 99


@pytest.mark.parametrize(
    ("the_mentor", "ask_fields", "code"),
    [
        (mentor(MENTEE), {}, "self"),
        (mentor(1), {"blocked_ids": frozenset({1})}, "blocked"),
        (mentor(1, blocked_ids=frozenset({MENTEE})), {}, "blocked"),
        (mentor(1, open_to_help=False), {}, "not-open"),
        (mentor(1, paused=True), {}, "paused"),
        (mentor(1, capacity_total=2, capacity_used=2), {}, "at-capacity"),
        (mentor(1), {"declined_mentor_ids": frozenset({1})}, "declined"),
        (mentor(1, languages=frozenset({"pt"})), {"languages": frozenset({"en"})}, "language"),
    ],
)
def test_it_excludes_with_a_reason(the_mentor: MentorProfile, ask_fields, code):
    the_ask = ask(mentee_id=MENTEE, **ask_fields)
    exclusion = eligible(the_ask, the_mentor)
    assert exclusion is not None
    assert exclusion.code == code
    assert exclusion.mentor_id == the_mentor.id
    assert exclusion.reason
    assert rank(the_ask, [the_mentor]) == []


def test_it_lets_through_a_mentor_who_can_help():
    the_ask = ask(mentee_id=MENTEE, languages=frozenset({"en"}))
    helper = mentor(1, capacity_total=2, capacity_used=1, languages=frozenset({"en", "pt"}))
    assert eligible(the_ask, helper) is None
    assert eligible(the_ask, mentor(2)) is None  # no capacity or languages set: nothing to rule out
    assert [s.mentor_id for s in rank(the_ask, [helper])] == [1]
