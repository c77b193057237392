"""The learned ranker in the product: fitting it from past offers, the guard, and choosing it.

Labels come from what each offer led to: the mentor accepted and the ask was completed (2),
accepted (1), declined or let it expire (0). Each past ask becomes one group: its offered mentors,
profiled as routing profiles them now but without any help given on or after that ask (no outcome
leaks into its own features), in the order the default weights put them. Asks are cut into
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
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing import policy
from openhelp.help.routing.models import LearnedRanker, Offer, OfferState
from openhelp.help.routing.profiles import ask_profile, mentor_profiles
from openhelp.help.routing.retrieval import skill_pool
from openhelp.platform.lib.clock import now

logger = logging.getLogger(__name__)

SLICES = 5  # time-ordered slices: fitting …, validation, guard (the most recent asks)
MAX_ASKS = 3000  # the most recent asks with an answered offer
PROGRAMME_MIN_ASKS = 300  # a programme gets its own model from this many asks with outcomes
RECENT = dt.timedelta(days=30)  # "recent asks" for the acceptance figure
RESOLVED = (OfferState.ACCEPTED, OfferState.DECLINED, OfferState.EXPIRED)


def _label(offer_state: str, ask_state: str, helped: bool) -> float:
    if offer_state == OfferState.ACCEPTED and helped:
        return 2.0 if ask_state == AskState.COMPLETED else 1.0
    return 0.0


def _asks_with_outcomes(programme=None):
    asks = Ask.objects.filter(offers__state__in=RESOLVED).distinct()
    if programme is not None:
        asks = asks.filter(programme=programme)
    return asks.order_by("-created_at", "-pk")


def _before(profile, ask_id: int, age_days: float):
    """The mentor as they were when the ask came in: no help on this ask or later."""
    kept = tuple(h for h in profile.past_help if h.ask_id != ask_id and h.age_days > age_days)
    return profile if len(kept) == len(profile.past_help) else dataclasses.replace(profile, past_help=kept)


def history_group(ask: Ask, *, weights, graph: SkillGraph) -> Group | None:
    """One past ask as a labelled group, or ``None`` when none of its offered mentors can be profiled."""
    outcomes = {
        mentor_id: _label(state, ask.state, ask.helper_id == mentor_id)
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
    mentors = [_before(m, ask.pk, age) for m in profiles]
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
    from openhelp.directory.programmes.models import Programme

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
