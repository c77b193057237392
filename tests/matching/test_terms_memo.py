"""terms_of(): the remembered tokenising of a mentor's texts gives exactly tokenise()'s terms."""

from __future__ import annotations

from dataclasses import replace

from openhelp.directory.matching.index import MatchingIndex, mentor_terms
from openhelp.directory.matching.scorer import rank
from openhelp.directory.matching.text import terms_of, tokenise
from openhelp.directory.matching.types import AskProfile, MentorProfile, PastHelp

TEXTS = [
    "How do I use C++ and Node.js with the quantum-mechanics tag? a",
    "Django ORM: select_related vs prefetch_related on a 2.2-froyo build",
    "",
    "the and of",
]


def test_it_gives_exactly_the_terms_tokenise_gives():
    for text in TEXTS:
        assert terms_of(text) == tuple(tokenise(text))
        assert terms_of(text) == tuple(tokenise(text)), "and the same when remembered"


def test_a_changed_text_is_tokenised_afresh():
    before = terms_of("Postgres indexes for a slow report")
    after = terms_of("Postgres partitions for a slow report")
    assert "indexes" in before and "indexes" not in after and "partitions" in after


def _mentor(mentor_id: int, *helped: str) -> MentorProfile:
    return MentorProfile(
        id=mentor_id,
        skills={1: 4},
        skill_names={1: "Django"},
        profile_text="Backend developer; Django and PostgreSQL",
        past_help=tuple(
            PastHelp(title=t, text=f"{t}. Make it fast", skill_ids=frozenset({1})) for t in helped
        ),
    )


def test_a_mentor_is_described_by_the_same_terms_as_before():
    mentor = _mentor(7, "Slow Django admin list", "Postgres query-plan reading")
    expected = tokenise(mentor.profile_text) + tokenise("Django")
    for help_ in mentor.past_help:
        expected += tokenise(help_.text)
    assert mentor_terms(mentor) == expected


def test_ranking_follows_a_mentor_whose_past_help_changed():
    ask = AskProfile(text="Why is my Django admin list slow?", skill_ids=frozenset({1}))
    first = _mentor(1, "Slow Django admin list")
    second = _mentor(2, "Kubernetes ingress setup")
    assert [s.mentor_id for s in rank(ask, [first, second])][0] == 1

    # The same mentors again (now remembered), with what they helped with swapped.
    swapped = [replace(first, past_help=second.past_help), replace(second, past_help=first.past_help)]
    assert [s.mentor_id for s in rank(ask, swapped)][0] == 2
    index = MatchingIndex.build(swapped)
    assert index.text.scores(tokenise("admin list"))[2] > index.text.scores(tokenise("admin list")).get(1, 0)
