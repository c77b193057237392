"""The learned ranker in the product: fitting it from past offers, the guard, and choosing it.

Labels come from what each offer led to: the mentor accepted and actually helped — the mentee rated
the session 4 or 5, or, unrated, marked it solved or the ask was completed — (2), accepted (1),
declined or let it expire (0). Each past ask becomes one group: its offered mentors, profiled as
routing profiles them now but *as they were when the ask came in* (``point_in_time``): no help given
on or after the ask, the ages of earlier help counted from the ask, and responsiveness and recent load
from offers and asks before it — so no outcome leaks into its own features. The group is in the order
the default weights put them. Asks are cut into
time-ordered slices and go to ``matching.learning.fitting.fit_guarded`` — the same code the offline
evaluation fits with. A model is used only while it passed the guard and organisers have not
switched back to the defaults (``LearnedRanker.use_defaults``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence

import numpy as np
from django.db import transaction

from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.learning.features import FeatureBuilder, SkillGraph
from openhelp.directory.matching.learning.fitting import FitResult, Group, fit_guarded
from openhelp.directory.matching.learning.ranker import LearnedRanker as Ranker
from openhelp.directory.matching.scorer import score_pool
from openhelp.directory.programmes.models import Programme
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Debrief, Outcome
from openhelp.help.routing import policy
from openhelp.help.routing.capacity import USES_CAPACITY
from openhelp.help.routing.models import LearnedRanker, Offer, OfferState
from openhelp.help.routing.profiles import NOT_A_CHOICE, STATS_WINDOW, ask_profile, mentor_profiles
from openhelp.help.routing.retrieval import skill_pool
from openhelp.platform.lib.clock import now

logger = logging.getLogger(__name__)

SLICES = 5  # time-ordered slices: fitting …, validation, guard (the most recent asks)
MAX_ASKS = 3000  # the most recent asks with an answered offer
PROGRAMME_MIN_ASKS = 300  # a programme gets its own model from this many asks with outcomes
RECENT = dt.timedelta(days=30)  # "recent asks" for the acceptance figure
RESOLVED = (OfferState.ACCEPTED, OfferState.DECLINED, OfferState.EXPIRED)
HELPED_RATING = 4  # a debrief rated this or higher means the help worked


def _label(offer_state: str, ask_state: str, helped: bool, debrief: tuple[int | None, str] | None) -> float:
    """2 accepted and the help worked, 1 accepted, 0 declined or expired.

    The mentee's rating, when given, is the best word on whether the help worked (a completed ask
    rated 2 was not a success); without one, a "solved" debrief or a completed ask counts.
    """
    if offer_state != OfferState.ACCEPTED or not helped:
        return 0.0
    rating, outcome = debrief if debrief is not None else (None, "")
    if rating is not None:
        return 2.0 if rating >= HELPED_RATING else 1.0
    return 2.0 if outcome == Outcome.SOLVED or ask_state == AskState.COMPLETED else 1.0


def _asks_with_outcomes(programme=None):
    asks = Ask.objects.filter(offers__state__in=RESOLVED).distinct()
    if programme is not None:
        asks = asks.filter(programme=programme)
    return asks.order_by("-created_at", "-pk")


def _before(profile, ask_id: int, age_days: float, facts: dict | None = None):
    """The mentor as they were when the ask came in: no help on this ask or later, earlier help aged
    from the ask (not from today), and ``facts`` (responsiveness, recent load) as of the ask."""
    kept = tuple(
        dataclasses.replace(h, age_days=h.age_days - age_days)
        for h in profile.past_help
        if h.ask_id != ask_id and h.age_days > age_days
    )
    return dataclasses.replace(profile, past_help=kept, **(facts or {}))


def point_in_time_facts(mentor_ids, ask: Ask, *, load_window_weeks: int) -> dict[int, dict]:
    """Responsiveness and recent load of each mentor as they stood when ``ask`` came in.

    The same definitions as routing's profiles (offers answered over ``STATS_WINDOW``, automatic
    declines left out; asks taken on over the load window), but counted up to the ask's creation:
    an offer counts only if it was answered (or expired) before then, so the very offer this group
    is labelled by never reaches its own responsiveness.
    """
    moment = ask.created_at
    facts: dict[int, dict] = {
        mentor_id: {
            "offers_received": 0,
            "offers_accepted": 0,
            "median_response_hours": None,
            "recent_sessions": 0,
        }
        for mentor_id in mentor_ids
    }
    offers = (
        Offer.objects.filter(
            mentor_id__in=list(facts),
            created_at__gte=moment - STATS_WINDOW,
            created_at__lt=moment,
            state__in=RESOLVED,
        )
        .exclude(ask_id=ask.pk)
        .exclude(decline_reason__in=NOT_A_CHOICE)
        .values_list("mentor_id", "state", "created_at", "responded_at", "expires_at")
    )
    hours: dict[int, list[float]] = {}
    for mentor_id, state, created_at, responded_at, expires_at in offers:
        settled = responded_at if responded_at is not None else expires_at
        if settled is None or settled >= moment:
            continue  # not yet answered when the ask came in
        facts[mentor_id]["offers_received"] += 1
        facts[mentor_id]["offers_accepted"] += state == OfferState.ACCEPTED
        if responded_at is not None:
            hours.setdefault(mentor_id, []).append(max((responded_at - created_at).total_seconds(), 0) / 3600)
    for mentor_id, values in hours.items():
        facts[mentor_id]["median_response_hours"] = float(np.median(values))
    taken = Ask.objects.filter(
        helper_id__in=list(facts),
        state__in=USES_CAPACITY,
        accepted_at__gte=moment - dt.timedelta(weeks=load_window_weeks),
        accepted_at__lt=moment,
    ).exclude(pk=ask.pk)
    for helper_id in taken.values_list("helper_id", flat=True):
        facts[helper_id]["recent_sessions"] += 1
    return facts


def history_group(ask: Ask, *, weights, graph: SkillGraph) -> Group | None:
    """One past ask as a labelled group, or ``None`` when none of its offered mentors can be profiled."""
    debrief = Debrief.objects.filter(session__ask=ask).values_list("rating", "outcome").first()
    outcomes = {
        mentor_id: _label(state, ask.state, ask.helper_id == mentor_id, debrief)
        for mentor_id, state in Offer.objects.filter(ask=ask, state__in=RESOLVED).values_list(
            "mentor_id", "state"
        )
    }
    skill_ids = list(ask.skills.values_list("pk", flat=True))
    if not outcomes or not skill_ids:
        return None
    pool = skill_pool(skill_ids, widened=True)
    # Profiled as routing profiles people today (without the "already offered this ask" rule, which
    # would drop exactly the people we learn from), minus anything from this ask on.
    profiles, _ = mentor_profiles(
        pool=pool,
        language_ids=[],
        asker_ids=[ask.mentee_id],
        ask_id=None,
        load_window_weeks=weights.load_window_weeks,
    )
    profile = ask_profile(ask, pool=pool, language_codes=[], known_mentor_ids=set())
    age = max((now() - ask.created_at).total_seconds(), 0) / 86400
    facts = point_in_time_facts(
        [m.id for m in profiles if m.id in outcomes], ask, load_window_weeks=weights.load_window_weeks
    )
    mentors = [_before(m, ask.pk, age, facts.get(m.id)) for m in profiles]
    offered = [m for m in mentors if m.id in outcomes]
    if not offered:
        return None
    index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
    plan, scored = score_pool(profile, offered, weights=weights, index=index)
    builder = FeatureBuilder(profile, plan, graph)
    features = builder.rows([row[3] for row in scored], [-row[0] for row in scored])
    return Group(features=features, labels=np.array([outcomes[row[1]] for row in scored]))


def skill_graph(asks: Sequence[Ask]) -> SkillGraph:
    skill_sets: dict[int, set[int]] = {}
    for ask_id, skill_id in Ask.skills.through.objects.filter(ask_id__in=[a.pk for a in asks]).values_list(
        "ask_id", "skill_id"
    ):
        skill_sets.setdefault(ask_id, set()).add(skill_id)
    return SkillGraph.from_skill_sets(frozenset(s) for s in skill_sets.values())


def time_slices(groups: Sequence[Group], count: int = SLICES) -> list[list[Group]]:
    """Oldest first, cut into ``count`` slices of (nearly) equal size."""
    bounds = [round(len(groups) * part / count) for part in range(count + 1)]
    return [list(groups[start:end]) for start, end in zip(bounds, bounds[1:], strict=False)]


def fit_scope(programme=None) -> LearnedRanker:
    """Fit (and guard) the model for the organisation or one programme, and store it."""
    weights = policy.weights(programme)
    asks = list(_asks_with_outcomes(programme)[:MAX_ASKS])[::-1]  # oldest first
    graph = skill_graph(asks)
    groups = [
        group for ask in asks if (group := history_group(ask, weights=weights, graph=graph)) is not None
    ]
    result = (
        fit_guarded(time_slices(groups))
        if len(groups) >= SLICES
        else FitResult(None, False, f"too little history ({len(groups)} asks)", 0, 0.0, 0.0, 0, 0, 0.0)
    )
    return store(programme, result, graph)


@transaction.atomic
def store(programme, result: FitResult, graph: SkillGraph) -> LearnedRanker:
    """Save a fit; an organiser's "use the defaults" choice survives refits."""
    ranker, _ = LearnedRanker.objects.select_for_update().get_or_create(
        scope=LearnedRanker.scope_for(programme), defaults={"programme": programme}
    )
    ranker.model_text = result.model_text or ""
    ranker.skill_graph = graph.to_json()
    ranker.fitted_at = now()
    ranker.passed_guard = result.used
    ranker.guard_reason = result.reason[:200]
    ranker.mrr_default = result.mrr_default
    ranker.mrr_learned = result.mrr_learned
    ranker.guard_asks = result.guard_asks
    ranker.fitted_asks = result.fitted_asks
    ranker.fit_seconds = result.seconds
    ranker.save()
    return ranker


def fit_all() -> list[str]:
    """The periodic task's work: the organisation's model, then each programme with enough history."""
    fitted = [fit_scope(None).scope]
    for programme in Programme.objects.order_by("pk"):
        if _asks_with_outcomes(programme)[:PROGRAMME_MIN_ASKS].count() >= PROGRAMME_MIN_ASKS:
            fitted.append(fit_scope(programme).scope)
    return fitted


@transaction.atomic
def set_use_defaults(ranker: LearnedRanker, *, use_defaults: bool) -> LearnedRanker:
    """The organisers' switch: back to the default weights, or (again) the learned model."""
    ranker = LearnedRanker.objects.select_for_update().get(pk=ranker.pk)
    ranker.use_defaults = use_defaults
    ranker.save(update_fields=["use_defaults"])
    return ranker


_CACHE: dict[tuple[int, str], Ranker] = {}


def ranker_for(programme=None) -> Ranker | None:
    """The learned ranker routing should use for an ask in ``programme`` (its own, else the
    organisation's), or ``None`` for the default weights."""
    scopes = [LearnedRanker.scope_for(programme)] if programme is not None else []
    scopes.append(LearnedRanker.scope_for(None))
    for scope in scopes:
        row = (
            LearnedRanker.objects.filter(scope=scope)
            .only("pk", "fitted_at", "passed_guard", "use_defaults")
            .first()
        )
        if row is None:
            continue
        if row.use_defaults or not row.passed_guard:
            return None
        key = (row.pk, row.fitted_at.isoformat())
        if key not in _CACHE:
            full = LearnedRanker.objects.get(pk=row.pk)
            if not full.model_text:
                return None
            _CACHE.clear()
            _CACHE[key] = Ranker(model_text=full.model_text, graph=SkillGraph.from_json(full.skill_graph))
        return _CACHE[key]
    return None


def acceptance(programme=None, *, days: dt.timedelta = RECENT) -> tuple[int, int]:
    """(accepted, answered) offers over the recent window, for the quality figures."""
    offers = Offer.objects.filter(state__in=RESOLVED, created_at__gte=now() - days)
    if programme is not None:
        offers = offers.filter(ask__programme=programme)
    answered = offers.count()
    return offers.filter(state=OfferState.ACCEPTED).count(), answered
