"""The ranking signals. Each is a small function ``(ask, mentor, context, explain) -> Signal``.

A signal scores one mentor for one ask in [0, 1]. When it has no data (no capacity set, no time
zone on one side) it returns the neutral score, which is the same for everyone and so never
reorders anyone. Reasons are only worded when ``explain`` is true: ranking scores the whole pool,
but only the few suggestions shown need words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from openhelp.directory.matching.index import AskContext, activity_score
from openhelp.directory.matching.text import STOPWORDS, terms_of, tokenise
from openhelp.directory.matching.types import AskProfile, MentorProfile

RECENT_DAYS = 90

# Words that may well score (an ask "for two weeks", a past "first test") but say nothing about what a
# mentor knows: a reason never names them ("has experience with two, weeks and first" explains nothing).
# Ranking still counts them; only the wording leaves them out.
TOO_GENERAL_TO_NAME = frozenset(
    """
    zero two three four five six seven eight nine ten twenty hundred thousand million first third
    last next previous second seconds minute minutes hour hours day days week weeks weekly month months
    monthly year years yearly today tomorrow yesterday time times new old good bad best better worse big
    small lot lots bit way ways thing things stuff someone something anything everything nothing unsure
    sure idea ideas know want wanted think thought try tried trying make made start started end ended
    """.split()
)


class Signal(NamedTuple):
    score: float
    reason: str | None = None


def _neutral(context: AskContext) -> Signal:
    return Signal(context.weights.neutral)


def _hours(value: float) -> str:
    if value < 1:
        return "within the hour"
    if value < 36:
        hours = max(1, round(value))
        return f"within {hours} hour{'s' if hours != 1 else ''}"
    days = round(value / 24)
    return f"within {days} days"


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def _clock(minute: int) -> str:
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


def skill_fit(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """Declared level on each asked skill; a parent or child skill counts for part of it."""
    if not ask.skill_ids:
        return _neutral(context)
    if not explain and not ask.related_skill_ids:
        levels = mentor.skills
        return Signal(sum(levels.get(skill_id, 0) for skill_id in ask.skill_ids) / (5 * len(ask.skill_ids)))
    credit = context.weights.related_skill_credit
    best: dict[int, tuple[float, int, int]] = {}  # asked skill -> (value, level, skill that matched)
    for skill_id in ask.skill_ids:
        level = mentor.skills.get(skill_id)
        if level:
            best[skill_id] = (level / 5, level, skill_id)
    for related_id, asked_id in ask.related_skill_ids.items():
        level = mentor.skills.get(related_id)
        if level and asked_id in ask.skill_ids and credit * level / 5 > best.get(asked_id, (0.0,))[0]:
            best[asked_id] = (credit * level / 5, level, related_id)
    score = sum(value for value, _, _ in best.values()) / len(ask.skill_ids)
    if not explain or not best:
        return Signal(score)
    asked_id, (_, level, matched_id) = max(best.items(), key=lambda item: (item[1][0], -item[0]))
    name = mentor.skill_names.get(matched_id) or ask.skill_names.get(matched_id) or "this skill"
    if matched_id == asked_id:
        return Signal(score, f"teaches {name} at level {level}")
    asked_name = ask.skill_names.get(asked_id, "what you asked about")
    return Signal(score, f"teaches {name} (related to {asked_name}) at level {level}")


def proven_help(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """Share of the recent help on the asked skills that this mentor gave (from the index)."""
    if not ask.skill_ids:
        return _neutral(context)
    score = context.proven_help.get(mentor.id, 0.0)
    if not explain or score <= 0:
        return Signal(score)
    counts: dict[int, int] = {}
    for help_ in mentor.past_help:
        for skill_id in help_.skill_ids & ask.skill_ids:
            counts[skill_id] = counts.get(skill_id, 0) + 1
    if not counts:
        return Signal(score)
    skill_id, count = max(counts.items(), key=lambda item: (item[1], -item[0]))
    name = ask.skill_names.get(skill_id) or mentor.skill_names.get(skill_id) or "this skill"
    return Signal(score, f"has helped with {name} {_times(count)} before")


def relevance(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """How well the ask's words match the mentor's profile, skill notes and past help (BM25)."""
    if not context.query_terms:
        return _neutral(context)
    score = context.relevance.get(mentor.id, 0.0)
    if not explain or score <= 0:
        return Signal(score)
    title = _similar_past_help(mentor, context)
    if title:
        return Signal(score, f"helped with a similar question: “{_shortened(title)}”")
    matched = context.index.text.matching_terms(
        mentor.id, context.query_terms, limit=len(context.query_terms)
    )
    named = _named_experience(ask, mentor, matched)
    if named:
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
        return Signal(score, f"has experience with {listed}")
    # A title sharing only the name of an asked skill says no more than skill_fit and proven_help do.
    asked = {word for name in ask.skill_names.values() for word in terms_of(name)}
    title = _past_help_naming(mentor, [term for term in matched if _nameable(term) and term not in asked])
    if title:
        return Signal(score, f"helped with “{_shortened(title)}”")
    return Signal(score)


def _nameable(term: str) -> bool:
    return term not in TOO_GENERAL_TO_NAME and not term.isdigit()


def _named_experience(ask: AskProfile, mentor: MentorProfile, matched: list[str]) -> list[str]:
    """What the ask's words and the mentor's experience share, worded so that it means something: a skill
    (the ask's, or one the mentor offers), a phrase of two words found in both texts, or a technical term
    ("node.js", "k8s"). A lone everyday word ("ship", "plan") is never named: it may well score, but
    "has experience with ship" says nothing. Skills, then phrases, then terms; at most three."""
    shared = set(matched)
    named: list[str] = []
    covered: set[str] = set()
    taught_here = ask.skill_ids & set(mentor.skills)  # skill_fit names those already
    skills = {**ask.skill_names, **mentor.skill_names}
    for skill_id, name in sorted(skills.items()):
        words = set(terms_of(name))
        if skill_id not in taught_here and words and words <= shared and name not in named:
            named.append(name)
            covered |= words
    for phrase in _shared_phrases(ask, mentor, shared):
        if not set(phrase.split()) <= covered:
            named.append(phrase)
            covered |= set(phrase.split())
    named.extend(term for term in matched if term not in covered and _nameable(term) and _technical(term))
    return named[:3]


def _technical(term: str) -> bool:
    """A spelling no everyday word has: a digit among letters or a symbol ("c++", "node.js", "k8s")."""
    return any(char in "+#." for char in term) or (
        any(char.isdigit() for char in term) and any(char.isalpha() for char in term)
    )


def _pairs(text: str) -> list[tuple[str, str]]:
    words = tokenise(text, drop_stopwords=False)
    return list(zip(words, words[1:], strict=False))


@lru_cache(maxsize=256)
def _ask_phrases(text: str) -> tuple[tuple[str, str], ...]:
    """The two-word phrases of an ask's text worth naming (neither word a stopword or too general), in
    order, each once: worked out once per ask, not again for each of the few hundred mentors worded."""
    return tuple(
        dict.fromkeys(
            pair for pair in _pairs(text) if all(_nameable(word) and word not in STOPWORDS for word in pair)
        )
    )


def _shared_phrases(ask: AskProfile, mentor: MentorProfile, shared: set[str]) -> list[str]:
    """Two-word phrases of the ask ("replication lag") that the mentor's profile or past help also
    has word for word, in the order of the ask; both words must match and be worth naming."""
    wanted = [pair for pair in _ask_phrases(ask.text) if pair[0] in shared and pair[1] in shared]
    if not wanted:
        return []
    theirs: set[tuple[str, str]] = set(_pairs(mentor.profile_text))
    for help_ in mentor.past_help:
        theirs.update(_pairs(help_.title))
        theirs.update(_pairs(help_.text))
    return list(dict.fromkeys(" ".join(pair) for pair in wanted if pair in theirs))


def _past_help_naming(mentor: MentorProfile, terms: list[str]) -> str | None:
    """The title of the mentor's past help that shares the ask's strongest word, if any does."""
    for term in terms:
        for help_ in mentor.past_help:
            if term in terms_of(help_.title):
                return help_.title
    return None


def _shortened(title: str) -> str:
    return title if len(title) <= 80 else title[:77].rstrip() + "…"


def _similar_past_help(mentor: MentorProfile, context: AskContext) -> str | None:
    """Title of the past help most like the ask: most of its title's weight (IDF) appears in the ask."""
    query = set(context.query_terms)
    idf = context.index.text.idf
    best, best_cover = None, 0.4
    for help_ in mentor.past_help:
        terms = set(terms_of(help_.title))
        shared = terms & query
        if len(shared) < 2:
            continue
        cover = sum(idf(term) for term in shared) / sum(idf(term) for term in terms)
        if cover > best_cover:
            best, best_cover = help_.title, cover
    return best


def availability(
    ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False
) -> Signal:
    """Capacity left this week and how soon their next office-hours slot is."""
    parts: list[float] = []
    reasons: list[str] = []
    if mentor.capacity_total:
        left = mentor.capacity_left or 0
        parts.append(left / mentor.capacity_total)
        if explain and left:
            total = mentor.capacity_total
            reasons.append(f"has {left} of {total} session{'s' if total != 1 else ''} left this week")
    if mentor.next_slot_hours is not None:
        parts.append(1.0 / (1.0 + max(mentor.next_slot_hours, 0.0) / context.weights.slot_hours_scale))
        if explain:
            reasons.append(f"has an office-hours slot free {_hours(mentor.next_slot_hours)}")
    if not parts:
        return _neutral(context)
    return Signal(sum(parts) / len(parts), "; ".join(reasons) or None)


def responsiveness(
    ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False
) -> Signal:
    """Smoothed share of offers accepted and the median time to reply."""
    parts: list[float] = []
    reason = None
    if mentor.offers_received > 0:
        # One accepted and one declined imaginary offer keep a 1-of-1 record from looking perfect.
        parts.append((mentor.offers_accepted + 1) / (mentor.offers_received + 2))
    if mentor.median_response_hours is not None:
        hours = max(mentor.median_response_hours, 0.0)
        parts.append(1.0 / (1.0 + hours / context.weights.response_hours_scale))
        if explain:
            reason = f"usually replies {_hours(hours)}"
    if not parts:
        return _neutral(context)
    if explain and reason is None and mentor.offers_received >= 3:
        reason = f"accepted {mentor.offers_accepted} of their last {mentor.offers_received} requests"
    return Signal(sum(parts) / len(parts), reason)


def activity(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """Recent help given (decayed by age, log scale against the most active mentor)."""
    index = context.index
    score = activity_score(index.activity(mentor), index.max_activity)
    if not explain or score <= 0:
        return Signal(score)
    recent = sum(1 for h in mentor.past_help if h.age_days <= RECENT_DAYS)
    if not recent:
        return Signal(score)
    return Signal(score, f"helped {_times(recent)} in the last {RECENT_DAYS} days")


def load(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """Fair spread: recent sessions against what they offered, so the same few are not flooded."""
    if not mentor.capacity_total:
        return _neutral(context)
    weeks = context.weights.load_window_weeks
    score = 1.0 - min(1.0, mentor.recent_sessions / (mentor.capacity_total * weeks))
    if not explain or score < 0.75:
        return Signal(score)
    sessions = mentor.recent_sessions
    done = "no sessions" if not sessions else f"only {sessions} session{'s' if sessions != 1 else ''}"
    return Signal(score, f"has had {done} in the last {weeks} weeks")


def overlap_minutes(ask_window, mentor_window) -> int:
    total = 0
    for a_start, a_end in ask_window.utc_intervals():
        for m_start, m_end in mentor_window.utc_intervals():
            total += max(0, min(a_end, m_end) - max(a_start, m_start))
    return total


def timezone(ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False) -> Signal:
    """How much of the mentee's working day the mentor's working day covers."""
    if ask.window is None or mentor.window is None:
        return _neutral(context)
    # Most people share a handful of working days, so the overlap is worked out once per window.
    shared = context.overlaps.get(mentor.window)
    if shared is None:
        shared = context.overlaps[mentor.window] = overlap_minutes(ask.window, mentor.window)
    score = min(1.0, shared / ask.window.length_minutes)
    if not explain or shared < 60:
        return Signal(score)
    shift = ask.window.utc_offset_minutes - mentor.window.utc_offset_minutes
    start = _clock(mentor.window.start_minute + shift)
    end = _clock(mentor.window.end_minute + shift)
    hours = shared // 60
    return Signal(score, f"{start}–{end} overlaps your day by {hours} hour{'s' if hours != 1 else ''}")


def fresh_perspective(
    ask: AskProfile, mentor: MentorProfile, context: AskContext, explain: bool = False
) -> Signal:
    """Prefer someone the mentee has not met, unless they asked for someone they know."""
    known = mentor.id in ask.known_mentor_ids
    score = 1.0 if known == ask.wants_known else 0.0
    if not explain or not score or not (ask.known_mentor_ids or ask.wants_known):
        return Signal(score)
    return Signal(score, "you have worked together before" if known else "someone you have not met yet")


SignalFunction = Callable[[AskProfile, MentorProfile, AskContext, bool], Signal]

# Names match the fields of ``Weights``; reasons are shown in this order.
SIGNALS: dict[str, SignalFunction] = {
    "skill_fit": skill_fit,
    "proven_help": proven_help,
    "relevance": relevance,
    "availability": availability,
    "responsiveness": responsiveness,
    "activity": activity,
    "load": load,
    "timezone": timezone,
    "fresh_perspective": fresh_perspective,
}

# Signals that read only the mentor (and pool statistics), never the ask: scored once per profile.
MENTOR_ONLY = frozenset({"availability", "responsiveness", "activity", "load"})


def constant_for_ask(name: str, ask: AskProfile, context: AskContext) -> float | None:
    """The score a signal gives every mentor for this ask, when it cannot tell them apart.

    Lets ``rank`` skip calling it per mentor (no time zone on the ask, no one the mentee knows).
    """
    if name == "timezone" and ask.window is None:
        return context.weights.neutral
    if name == "fresh_perspective" and not ask.known_mentor_ids and not ask.wants_known:
        return 1.0
    if name in ("skill_fit", "proven_help") and not ask.skill_ids:
        return context.weights.neutral
    if name == "relevance" and not context.query_terms:
        return context.weights.neutral
    return None


def sparse_scores(name: str, ask: AskProfile, context: AskContext) -> dict[int, float] | None:
    """For a signal that is 0 for every mentor the index cannot link to this ask, its non-zero
    scores by mentor id (valid for profiles the index holds); ``None`` for the other signals."""
    if name == "relevance":
        return context.relevance
    if name == "proven_help":
        return context.proven_help
    if name == "skill_fit":
        index = context.index
        candidates = index.skill_holders([*ask.skill_ids, *ask.related_skill_ids])
        scores = {}
        for mentor_id in candidates:
            score = skill_fit(ask, index.profile(mentor_id), context).score
            if score:
                scores[mentor_id] = score
        return scores
    return None
