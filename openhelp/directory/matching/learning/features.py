"""Features for the learned ranker: today's nine signals plus what past help says about a mentor.

One row per (ask, mentor). The nine signals and the default score come from the scorer's own plan,
so the learned model starts from exactly what the hand-set weights see. The rest is read from the
mentor's past help, summarised once per profile object (``MatchingIndex.summary``):

- **skill graph**: expertise on skills that co-occur with the asked ones (``SkillGraph``, built from
  the pool's past help when the model is fitted and stored with it), for help given and for declared
  skills, so a newcomer who declares a neighbouring skill is not invisible;
- **helper network**: how often the mentor helped this mentee before, and on how many asks they
  helped alongside the mentee;
- **recency**: help on the asked skills with a short half-life, how long ago the last such help
  and the last help of any kind was;
- **quality**: the share of their help that was accepted / marked good, the mean of their votes
  (ratings in the product), how much of the help on the asked skills went well.

Nothing here depends on a particular site: counts are on a log scale and times in days.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from openhelp.directory.matching.index import MatchingIndex, decay
from openhelp.directory.matching.ranking_signals import SIGNALS
from openhelp.directory.matching.types import AskProfile, MentorProfile

RECENT_HALF_LIFE_DAYS = 30.0  # "recent help on the asked skills" counts half after a month
AGE_SCALE_DAYS = 30.0  # last help this many days ago scores ½
GRAPH_NEIGHBOURS = 10  # strongest co-occurring skills kept per skill
GRAPH_MIN_SHARE = 0.05  # a neighbour must co-occur on at least this share of the skill's asks
GOOD_WEIGHT = 1.0  # past help weighted above this went well (accepted, solved, rated highly)

SIGNAL_NAMES = tuple(SIGNALS)
EXTRA_NAMES = (
    "default_score",
    "default_rank",
    "graph_help",
    "graph_level",
    "skill_help_count",
    "skill_help_good",
    "skill_help_recent",
    "skill_last_help",
    "last_help",
    "help_count",
    "good_share",
    "votes",
    "helped_mentee",
    "helped_alongside",
    "no_history",
)
FEATURE_NAMES: tuple[str, ...] = SIGNAL_NAMES + EXTRA_NAMES

# Which reason (a signal of the scorer, or a new one) each feature's contribution speaks for.
REASON_GROUP: dict[str, str] = {
    **{name: name for name in SIGNAL_NAMES},
    "default_score": "",
    "default_rank": "",
    "graph_help": "related_skills",
    "graph_level": "related_skills",
    "skill_help_count": "proven_help",
    "skill_help_good": "help_quality",
    "skill_help_recent": "recent_help",
    "skill_last_help": "recent_help",
    "last_help": "activity",
    "help_count": "activity",
    "good_share": "help_quality",
    "votes": "help_quality",
    "helped_mentee": "network",
    "helped_alongside": "network",
    "no_history": "",
}


@dataclass(slots=True)
class SkillGraph:
    """Skill → the skills that are asked together with it, with P(neighbour | skill)."""

    neighbours: dict[int, list[tuple[int, float]]] = field(default_factory=dict)

    @classmethod
    def from_mentors(cls, mentors: Iterable[MentorProfile]) -> SkillGraph:
        """Co-occurrence of skills on the asks the pool helped with (each ask counted once)."""
        seen: set[int] = set()
        alone: list[frozenset[int]] = []
        by_ask: dict[int, frozenset[int]] = {}
        for mentor in mentors:
            for help_ in mentor.past_help:
                if help_.ask_id is None:
                    alone.append(help_.skill_ids)
                elif help_.ask_id not in seen:
                    seen.add(help_.ask_id)
                    by_ask[help_.ask_id] = help_.skill_ids
        return cls.from_skill_sets([*by_ask.values(), *alone])

    @classmethod
    def from_skill_sets(cls, skill_sets: Iterable[frozenset[int]]) -> SkillGraph:
        """Co-occurrence of skills over asks, each given as its set of skill ids."""
        counts: Counter[int] = Counter()
        pairs: dict[int, Counter[int]] = defaultdict(Counter)
        for skills in skill_sets:
            for skill in skills:
                counts[skill] += 1
                for other in skills:
                    if other != skill:
                        pairs[skill][other] += 1
        neighbours = {}
        for skill, others in pairs.items():
            total = counts[skill]
            strongest = sorted(
                ((other, n / total) for other, n in others.items() if n / total >= GRAPH_MIN_SHARE),
                key=lambda item: (-item[1], item[0]),
            )[:GRAPH_NEIGHBOURS]
            if strongest:
                neighbours[skill] = [(other, round(share, 4)) for other, share in strongest]
        return cls(neighbours)

    def to_json(self) -> dict[str, list[list[float]]]:
        return {
            str(skill): [[other, share] for other, share in items] for skill, items in self.neighbours.items()
        }

    @classmethod
    def from_json(cls, data: dict) -> SkillGraph:
        return cls({int(skill): [(int(o), float(s)) for o, s in items] for skill, items in data.items()})


@dataclass(slots=True)
class MentorSummary:
    """What a mentor's past help says, per skill and overall (computed once per profile object)."""

    skill_help: dict[int, float]  # decayed (default half-life) help per skill, for the graph
    skill_count: dict[int, int]
    skill_good: dict[int, int]
    skill_recent: dict[int, float]
    skill_last_age: dict[int, float]
    help_count: int
    good_count: int
    votes: float
    last_age: float | None
    mentees: Counter[int]
    ask_ids: frozenset[int]


def summarise(mentor: MentorProfile, half_life_days: float) -> MentorSummary:
    skill_help: dict[int, float] = defaultdict(float)
    skill_count: dict[int, int] = defaultdict(int)
    skill_good: dict[int, int] = defaultdict(int)
    skill_recent: dict[int, float] = defaultdict(float)
    skill_last_age: dict[int, float] = {}
    good = 0
    votes = 0.0
    last_age = None
    mentees: Counter[int] = Counter()
    ask_ids = set()
    for help_ in mentor.past_help:
        is_good = help_.weight > GOOD_WEIGHT
        good += is_good
        votes += math.copysign(math.log1p(abs(help_.votes)), help_.votes)
        age = max(help_.age_days, 0.0)
        last_age = age if last_age is None else min(last_age, age)
        if help_.mentee_id is not None:
            mentees[help_.mentee_id] += 1
        if help_.ask_id is not None:
            ask_ids.add(help_.ask_id)
        value = help_.weight * decay(age, half_life_days)
        recent = help_.weight * decay(age, RECENT_HALF_LIFE_DAYS)
        for skill in help_.skill_ids:
            skill_help[skill] += value
            skill_count[skill] += 1
            skill_good[skill] += is_good
            skill_recent[skill] += recent
            if age < skill_last_age.get(skill, math.inf):
                skill_last_age[skill] = age
    count = len(mentor.past_help)
    return MentorSummary(
        skill_help=dict(skill_help),
        skill_count=dict(skill_count),
        skill_good=dict(skill_good),
        skill_recent=dict(skill_recent),
        skill_last_age=skill_last_age,
        help_count=count,
        good_count=good,
        votes=votes / count if count else 0.0,
        last_age=last_age,
        mentees=mentees,
        ask_ids=frozenset(ask_ids),
    )


def _freshness(age: float | None) -> float:
    return 0.0 if age is None else 1.0 / (1.0 + age / AGE_SCALE_DAYS)


class FeatureBuilder:
    """Feature rows for the mentors of one ask, from the scorer's plan for that ask."""

    def __init__(self, ask: AskProfile, plan, graph: SkillGraph) -> None:
        self.ask, self.plan, self.graph = ask, plan, graph
        self.index: MatchingIndex = plan.index
        self.smoothing = plan.weights.proven_help_smoothing
        self.skills = sorted(ask.skill_ids)
        # Neighbours of the asked skills (not asked themselves), with their summed weight per asked skill.
        spread: dict[int, float] = defaultdict(float)
        for skill in self.skills:
            for other, share in graph.neighbours.get(skill, ()):
                if other not in ask.skill_ids:
                    spread[other] += share / len(self.skills)
        self.spread = dict(spread)
        mentee = self.index.profile(ask.mentee_id) if ask.mentee_id is not None else None
        self.mentee_asks = self._summary(mentee).ask_ids if mentee is not None else frozenset()

    def _summary(self, mentor: MentorProfile) -> MentorSummary:
        half_life = self.index.half_life_days
        return self.index.summary(mentor, lambda m: summarise(m, half_life))  # type: ignore[return-value]

    def rows(self, mentors: Sequence[MentorProfile], default_scores: Sequence[float]) -> np.ndarray:
        matrix = np.zeros((len(mentors), len(FEATURE_NAMES)), dtype=np.float64)
        signals = self.plan.signals
        ask = self.ask
        skills = self.skills
        for row, (mentor, score) in enumerate(zip(mentors, default_scores, strict=True)):
            values = signals(mentor)
            summary = self._summary(mentor)
            graph_help = 0.0
            graph_level = 0.0
            for other, share in self.spread.items():
                helped = summary.skill_help.get(other)
                if helped:
                    graph_help += share * helped / (self.index.skill_help_total(other) + self.smoothing)
                level = mentor.skills.get(other)
                if level:
                    graph_level += share * level / 5
            last_skill = min((summary.skill_last_age.get(s, math.inf) for s in skills), default=math.inf)
            extra = (
                score,
                1.0 / (row + 1),
                graph_help,
                graph_level,
                math.log1p(sum(summary.skill_count.get(s, 0) for s in skills)),
                math.log1p(sum(summary.skill_good.get(s, 0) for s in skills)),
                math.log1p(sum(summary.skill_recent.get(s, 0.0) for s in skills)),
                _freshness(None if last_skill == math.inf else last_skill),
                _freshness(summary.last_age),
                math.log1p(summary.help_count),
                (summary.good_count + 1) / (summary.help_count + 2),
                summary.votes,
                math.log1p(summary.mentees.get(ask.mentee_id, 0)) if ask.mentee_id is not None else 0.0,
                math.log1p(len(summary.ask_ids & self.mentee_asks)) if self.mentee_asks else 0.0,
                float(summary.help_count == 0),
            )
            matrix[row, : len(SIGNAL_NAMES)] = [values.get(name, 0.0) for name in SIGNAL_NAMES]
            matrix[row, len(SIGNAL_NAMES) :] = extra
        return matrix
