"""Candidate retrieval: who may be offered an ask, read from the database in a few set-based queries.

The rules (each one a filter in SQL, none a loop over people, except capacity, which comes from the
registered capacity sources in one query each):
  open to help and not paused today; an active account; capacity left this week; offers one of the ask's
  skills, a narrower one (its children) or a broader one (its parents) at the minimum level — aliases
  need nothing extra, because an alias always resolves to its skill; speaks one of the ask's languages
  when it names any; not the mentee or a co-asker; not offered this ask before (so not anyone who
  declined it or let it expire); no block between them and an asker, in either direction.

The widened pool used on escalation adds related skills (siblings under the same parent, and their
children) and lower levels.

A whole directory of 100,000 mentors costs the same dozen queries as ten: filters are joined in SQL, at
most SHORTLIST mentors (the strongest skill fits) are read in detail, and rows come back as plain tuples.
The shortlist itself is read band by band, best fits first (see ``shortlist``), so the database joins
and sorts a few thousand offers of a popular skill, not all of them; the facts about the shortlisted
people are read by id (``openhelp.platform.lib.sql.InIds``), never over the whole directory. bench/matching.py times it.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from openhelp.directory.people.capacity import sessions_used
from openhelp.directory.people.models import Block, Profile, SkillOffer
from openhelp.directory.skills.models import Skill
from openhelp.help.routing import policy
from openhelp.help.routing.models import Offer
from openhelp.platform.lib.clock import now

EXACT, NARROWER, BROADER, RELATED = "exact", "narrower", "broader", "related"
# The live preview counts every candidate; chunks keep each capacity query's IN (...) list bounded.
CAPACITY_CHUNK = 30_000
# The shortlist's first read takes the best fits holding this many offers per place on it (the
# per-person rules and people offering several pooled skills thin them out).
SHORTLIST_HEADROOM = 2
# At most this many reads fill the shortlist: the last one reads everything that is left.
MAX_PIECES = 4


@dataclass(frozen=True)
class SkillPool:
    """The skills that count for an ask: how each relates to what was asked, and which asked skill it
    stands in for (a Python teacher stands in for an ask about Django)."""

    relation: dict[int, str]
    stands_for: dict[int, int]
    names: dict[int, str]
    min_level: int

    @property
    def ids(self) -> list[int]:
        return list(self.relation)


def skill_pool(skill_ids: Iterable[int], *, widened: bool = False) -> SkillPool:
    """The asked skills, their children and their parents; widened: also siblings, and level 1.

    The taxonomy is read whole in one query (a few thousand short rows at most) and walked in Python,
    instead of one query per level of the tree.
    """
    tree = list(Skill.objects.order_by().values_list("pk", "name", "parent_id"))
    names = {pk: name for pk, name, _ in tree}
    parent_of = {pk: parent for pk, _, parent in tree}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, _, parent in tree:
        if parent is not None:
            children[parent].append(pk)

    def below(roots: Iterable[int]) -> set[int]:
        found, frontier = set(roots), list(roots)
        while frontier:
            fresh = [child for node in frontier for child in children[node] if child not in found]
            found.update(fresh)
            frontier = fresh
        return found

    exact = {pk for pk in skill_ids if pk in names}
    relation: dict[int, str] = dict.fromkeys(exact, EXACT)
    for skill_id in below(exact) - exact:
        relation[skill_id] = NARROWER
    direct_parents = {parent_of[pk] for pk in exact if parent_of[pk] is not None}
    for skill_id in exact:
        for ancestor in _ancestors(skill_id, parent_of):
            relation.setdefault(ancestor, BROADER)
    if widened:
        siblings = {child for parent in direct_parents for child in children[parent]}
        for skill_id in below(siblings):
            relation.setdefault(skill_id, RELATED)
    return SkillPool(
        relation=relation,
        stands_for=_stands_for(relation, parent_of, exact),
        names={pk: names[pk] for pk in relation},
        min_level=policy.setting("WIDENED_MIN_LEVEL" if widened else "MIN_LEVEL"),
    )


def _ancestors(skill_id: int, parent_of: dict[int, int | None]) -> list[int]:
    """Parent, grandparent, … (a cycle, which Skill.clean forbids, would simply stop the walk)."""
    chain, seen = [], {skill_id}
    parent = parent_of.get(skill_id)
    while parent is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = parent_of.get(parent)
    return chain


def _stands_for(
    relation: dict[int, str], parent_of: dict[int, int | None], exact: set[int]
) -> dict[int, int]:
    """Related skill id → the asked skill it counts for, by walking up the parents."""
    mapping: dict[int, int] = {}
    for asked in sorted(exact):
        for ancestor in _ancestors(asked, parent_of):
            if relation.get(ancestor) == BROADER:
                mapping.setdefault(ancestor, asked)
    asked_under = {parent_of.get(asked): asked for asked in sorted(exact, reverse=True)}
    for skill_id, kind in relation.items():
        found = None
        if kind == NARROWER:
            found = next((a for a in _ancestors(skill_id, parent_of) if a in exact), None)
        elif kind == RELATED:
            found = next((asked_under[a] for a in _ancestors(skill_id, parent_of) if a in asked_under), None)
        if found is not None:
            mapping[skill_id] = found
    return mapping


def eligible_offers(
    *,
    pool: SkillPool,
    language_ids: Iterable[int] = (),
    asker_ids: Iterable[int] = (),
    ask_id: int | None = None,
) -> QuerySet[SkillOffer]:
    """SkillOffer rows of everyone who may be offered the ask (capacity is checked afterwards)."""
    asker_ids, language_ids = list(asker_ids), list(language_ids)
    today = now().date()
    mentor = OuterRef("profile__user_id")
    rows = (
        SkillOffer.objects.filter(
            skill_id__in=pool.ids,
            level__gte=pool.min_level,
            profile__open_to_help=True,
            profile__user__is_active=True,
        )
        .filter(Q(profile__paused_until__isnull=True) | Q(profile__paused_until__lte=today))
        .exclude(profile__sessions_per_week=0)
        .exclude(profile__user_id__in=asker_ids)
    )
    if language_ids:
        speaks = Profile.languages.through.objects.filter(
            profile_id=OuterRef("profile_id"), language_id__in=language_ids
        )
        rows = rows.filter(Exists(speaks))
    if ask_id is not None:
        rows = rows.exclude(Exists(Offer.objects.filter(ask_id=ask_id, mentor_id=mentor)))
    if asker_ids:
        rows = rows.exclude(Exists(Block.objects.filter(blocker_id__in=asker_ids, blocked_id=mentor)))
        rows = rows.exclude(Exists(Block.objects.filter(blocked_id__in=asker_ids, blocker_id=mentor)))
    return rows


def sessions_left(limits: dict[int, int | None]) -> dict[int, int | None]:
    """Profile id → sessions left this week (None: no weekly limit given), through people.capacity."""
    limited = [pk for pk, limit in limits.items() if limit is not None]
    used: dict[int, int] = {}
    for start in range(0, len(limited), CAPACITY_CHUNK):
        used.update(sessions_used(limited[start : start + CAPACITY_CHUNK]))
    return {pk: None if limit is None else max(limit - used.get(pk, 0), 0) for pk, limit in limits.items()}


def count_candidates(*, skill_ids: Iterable[int], language_ids: Iterable[int] = (), mentee=None) -> int:
    """How many experts could take an ask with these skills and languages this week (the live preview)."""
    skill_ids = list(skill_ids)
    if not skill_ids:
        return 0
    asker_ids = [mentee.pk] if mentee is not None and mentee.pk else []
    rows = eligible_offers(pool=skill_pool(skill_ids), language_ids=language_ids, asker_ids=asker_ids)
    limits = dict(rows.order_by().values_list("profile_id", "profile__sessions_per_week").distinct())
    return sum(1 for left in sessions_left(limits).values() if left != 0)


def fit_of(relation: str, level: int) -> int:
    """How strongly one offer fits: an asked skill beats a narrower one beats a broader or related one,
    then the level decides (exact 21–25, narrower 11–15, the rest 1–5)."""
    return level + {EXACT: 20, NARROWER: 10}.get(relation, 0)


def _fits_between(pool: SkillPool, low: int, high: int | None) -> Q:
    """Offers whose fit is at least ``low`` and below ``high``, as a filter on skill and level (an
    index on skill and level can serve it)."""
    parts = []
    for bonus, relations in ((20, {EXACT}), (10, {NARROWER}), (0, {BROADER, RELATED})):
        skill_ids = [pk for pk, relation in pool.relation.items() if relation in relations]
        if skill_ids:
            levels = Q(level__gte=max(low - bonus, pool.min_level))
            if high is not None:
                levels &= Q(level__lt=high - bonus)
            parts.append(Q(skill_id__in=skill_ids) & levels)
    return reduce(operator.or_, parts)


def offers_by_fit(pool: SkillPool) -> dict[int, int]:
    """How many offers there are at each fit, counted without the per-person rules (which only remove
    people): one grouped read of the offers of the pooled skills."""
    counts = (
        SkillOffer.objects.filter(skill_id__in=pool.ids, level__gte=pool.min_level)
        .order_by()
        .values_list("skill_id", "level")
        .annotate(n=Count("*"))  # not COUNT(id): the (skill, level, profile) index alone answers it
    )
    by_fit: dict[int, int] = defaultdict(int)
    for skill_id, level, n in counts:
        by_fit[fit_of(pool.relation[skill_id], level)] += n
    return by_fit


def shortlist(rows: QuerySet[SkillOffer], *, pool: SkillPool, rotation: int) -> list[int]:
    """Profile ids of the SHORTLIST strongest fits, best first (an asked skill before a narrower one
    before a broader one, then level).

    Only a very popular skill in a very large directory has more candidates than that; the scorer
    then weighs availability, load and the rest among the strongest fits instead of among everyone.
    Ties rotate with the ask (a hash of profile and ask ids, ``spread``), so equal experts share the
    asks.

    The database reads the order from its start, in pieces: a count of offers per skill and level says
    how far down one must read to fill the shortlist (with headroom for the per-person rules), down
    to a fit and, within the last fit, a share of the spread. Only the offers in that piece are joined
    with the rules, grouped and sorted — a couple of thousand rows, not every offer of a popular
    skill. When the rules leave too few people (an ask in a rarely spoken language, say), the next
    piece is sized by how many passed. The order is exactly that of one query over everything: a
    person's fit is their best offer's, and the spread depends on the person only.
    """
    size = policy.setting("SHORTLIST")
    by_fit = offers_by_fit(pool)
    fits = sorted(by_fit, reverse=True)
    chosen: list[int] = []
    taken: set[int] = set()
    passing = 1.0  # share of offers whose holder passes the rules, as seen so far
    start: tuple[int, int] | None = None  # (fit, spread): everything before it has been read
    pieces = 0
    while fits and len(chosen) < size:
        need = size - len(chosen)
        pieces += 1
        end = _piece_end(by_fit, fits, start, want=need * SHORTLIST_HEADROOM / passing)
        if pieces == MAX_PIECES:
            end = None  # a bound on the queries, whatever the rules let through
        piece = rows if start is None and end is None else rows.filter(_piece(pool, rotation, start, end))
        # Everyone before this piece is already chosen; some of them also hold offers in it.
        found = best_fits(piece, pool=pool, rotation=rotation, limit=need + len(taken))
        fresh = [pk for pk in found if pk not in taken][:need]
        chosen += fresh
        taken.update(fresh)
        passing = max(min(passing, len(found) / max(_offers_in(by_fit, start, end), 1)), 0.02)
        if end is None:
            break
        start = end
        fits = [fit for fit in fits if fit <= end[0]]
    return chosen


SPREAD = 1000003  # spreads run from 0 to SPREAD - 1


def _spread(rotation: int) -> ExpressionWrapper:
    return ExpressionWrapper(
        (F("profile_id") * 7919 + rotation * 104729) % SPREAD, output_field=IntegerField()
    )


Position = tuple[int, int]  # (fit, spread) in the shortlist's order; None stands for either end


def _piece_end(
    by_fit: dict[int, int], fits: list[int], start: Position | None, *, want: float
) -> Position | None:
    """Where to stop reading so that about ``want`` offers are read from ``start``; None: to the end."""
    offers = 0.0
    for fit in fits:
        begin = start[1] if start is not None and fit == start[0] else 0
        here = by_fit[fit] * (SPREAD - begin) / SPREAD
        if offers + here >= want:
            stop = begin + int((want - offers) / by_fit[fit] * SPREAD) + 1
            return (fit, stop) if stop < SPREAD else (fit - 1, 0) if fit != fits[-1] else None
        offers += here
    return None


def _offers_in(by_fit: dict[int, int], start: Position | None, end: Position | None) -> float:
    """About how many offers lie between two positions (spreads are spread evenly)."""
    total = 0.0
    for fit, n in by_fit.items():
        low = start[1] if start is not None and fit == start[0] else 0
        high = end[1] if end is not None and fit == end[0] else SPREAD
        if (start is None or fit <= start[0]) and (end is None or fit >= end[0]):
            total += n * max(high - low, 0) / SPREAD
    return total


def _piece(pool: SkillPool, rotation: int, start: Position | None, end: Position | None) -> Q:
    """Offers from position ``start`` (fit, spread) up to, not including, ``end``; None: an open end."""
    spread = _spread(rotation)
    parts = []
    top = None if start is None else start[0]
    bottom = None if end is None else end[0]
    if top is not None and top == bottom:
        return (
            _fits_between(pool, top, top + 1)
            & Q(GreaterThanOrEqual(spread, start[1]))
            & Q(LessThan(spread, end[1]))
        )
    if top is not None:
        parts.append(_fits_between(pool, top, top + 1) & Q(GreaterThanOrEqual(spread, start[1])))
    middle_low = pool.min_level if bottom is None else bottom + 1
    middle = _fits_between(pool, middle_low, top)
    parts.append(middle)
    if bottom is not None:
        parts.append(_fits_between(pool, bottom, bottom + 1) & Q(LessThan(spread, end[1])))
    return reduce(operator.or_, parts)


def best_fits(rows: QuerySet[SkillOffer], *, pool: SkillPool, rotation: int, limit: int) -> list[int]:
    """Profile ids of the ``limit`` best fits among ``rows``, in one grouped query: a person's fit is
    their best offer's, ties rotate with the ask. ``shortlist`` reads it band by band."""
    exact = [pk for pk, relation in pool.relation.items() if relation == EXACT]
    narrower = [pk for pk, relation in pool.relation.items() if relation == NARROWER]
    fit = Case(
        When(skill_id__in=exact, then=F("level") + 20),
        When(skill_id__in=narrower, then=F("level") + 10),
        default=F("level"),
        output_field=IntegerField(),
    )
    spread = _spread(rotation)
    best = rows.order_by().values("profile_id").annotate(fit=Max(fit), spread=Min(spread))
    ordered = best.order_by("-fit", "spread", "profile_id").values_list("profile_id", flat=True)
    return list(ordered[:limit])
