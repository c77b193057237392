"""Plain data the matching engine ranks: an ask, the mentors who might take it, and what comes out.

Nothing here touches the database: services turn models into these objects, and the offline
evaluation turns a question-and-answer dump into them, so both rank through the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class WorkingWindow:
    """A person's working day: local start/end in minutes after midnight, and today's UTC offset.

    The offset is today's (the data layer resolves the IANA zone, daylight saving included), so the
    scorer only does arithmetic. An end before the start means the day runs past midnight.
    """

    start_minute: int
    end_minute: int
    utc_offset_minutes: int = 0

    @property
    def length_minutes(self) -> int:
        return (self.end_minute - self.start_minute) % MINUTES_PER_DAY or MINUTES_PER_DAY

    def utc_intervals(self) -> list[tuple[int, int]]:
        """The window in UTC minutes of the day, split in two where it wraps past midnight."""
        start = (self.start_minute - self.utc_offset_minutes) % MINUTES_PER_DAY
        end = start + self.length_minutes
        if end <= MINUTES_PER_DAY:
            return [(start, end)]
        return [(start, MINUTES_PER_DAY), (0, end - MINUTES_PER_DAY)]


@dataclass(frozen=True, slots=True)
class PastHelp:
    """One thing a mentor helped with before: its title, full text, skills and how long ago.

    ``weight`` says how well it went (1 for help given, more when the mentee marked it as the
    answer or thanked them), so solved problems count for more than attempts.
    """

    title: str
    text: str = ""
    skill_ids: frozenset[int] = frozenset()
    age_days: float = 0.0
    weight: float = 1.0
    votes: float = 0.0  # how others rated the help (votes in Q&A data, rating - 3 in the product)
    mentee_id: int | None = None  # who was helped (the helper network)
    ask_id: int | None = None  # which ask it answered (people who helped on the same ask)


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """Everything the scorer knows about one possible helper. Unknown figures stay ``None``.

    Frozen: the index caches the ask-independent signal scores per profile object, so a changed
    mentor is a new profile (``dataclasses.replace``), never an edited one.
    """

    id: int
    name: str = ""
    skills: Mapping[int, int] = field(default_factory=dict)  # skill id -> level 1..5
    skill_names: Mapping[int, str] = field(default_factory=dict)
    profile_text: str = ""  # headline, bio and the notes on each offered skill
    past_help: tuple[PastHelp, ...] = ()
    capacity_total: int | None = None  # sessions per week they are willing to give
    capacity_used: int = 0  # sessions already taken this week
    next_slot_hours: float | None = None  # soonest free office-hours slot, hours from now
    offers_received: int = 0
    offers_accepted: int = 0
    median_response_hours: float | None = None
    recent_sessions: int = 0  # sessions over the load window (Weights.load_window_weeks)
    window: WorkingWindow | None = None
    languages: frozenset[str] = frozenset()
    open_to_help: bool = True
    paused: bool = False
    blocked_ids: frozenset[int] = frozenset()  # people this mentor has blocked

    @property
    def capacity_left(self) -> int | None:
        if self.capacity_total is None:
            return None
        return max(0, self.capacity_total - self.capacity_used)


@dataclass(slots=True)
class AskProfile:
    """A mentee's ask as the scorer sees it.

    ``related_skill_ids`` maps a parent or child of an asked skill to the asked skill it stands in
    for (an ask about Django can be helped by someone who teaches Python); aliases are resolved to
    skill ids before the ask gets here.
    """

    text: str = ""
    skill_ids: frozenset[int] = frozenset()
    skill_names: Mapping[int, str] = field(default_factory=dict)
    related_skill_ids: Mapping[int, int] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    window: WorkingWindow | None = None
    mentee_id: int | None = None
    known_mentor_ids: frozenset[int] = frozenset()
    wants_known: bool = False  # the mentee asked for someone they have worked with
    declined_mentor_ids: frozenset[int] = frozenset()
    blocked_ids: frozenset[int] = frozenset()  # people the mentee has blocked


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a mentor is never offered this ask."""

    mentor_id: int
    code: str
    reason: str


class Suggestion:
    """One ranked mentor: overall score in [0, 1], each signal's score, and reasons in plain words.

    Ranking scores the whole pool but usually shows a few, so the per-signal breakdown can be
    worked out on first access (``signals_source``) instead of for every mentor.
    """

    __slots__ = ("mentor_id", "score", "reasons", "_signals", "_source", "_source_argument")

    def __init__(
        self,
        mentor_id: int,
        score: float,
        signals: dict[str, float] | None = None,
        reasons: list[str] | None = None,
        *,
        signals_source: Callable[[Any], dict[str, float]] | None = None,
        source_argument: Any = None,
    ) -> None:
        self.mentor_id = mentor_id
        self.score = score
        self.reasons = reasons if reasons is not None else []
        self._signals = signals
        self._source = signals_source
        self._source_argument = source_argument

    @property
    def signals(self) -> dict[str, float]:
        """Each signal's score in [0, 1], by signal name."""
        if self._signals is None:
            self._signals = self._source(self._source_argument) if self._source else {}
        return self._signals

    def __repr__(self) -> str:
        return f"Suggestion(mentor_id={self.mentor_id!r}, score={self.score:.4f}, reasons={self.reasons!r})"
