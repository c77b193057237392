"""Ranking metrics over a set of test questions: MRR and Recall@k, over all and over the warm ones."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank(rank: int | None) -> float:
    """1/rank of the right helper (rank 1 is the top); 0 when they were not ranked at all."""
    return 1.0 / rank if rank else 0.0


def recall_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def summarise(ranks: Sequence[int | None], warm: Sequence[bool]) -> dict[str, float]:
    """MRR, Recall@5 and Recall@10 over all questions, and the same over the warm subset.

    A question whose accepted answerer cannot be ranked (no training answer, or they asked it)
    still counts, with reciprocal rank 0, so "all" figures are comparable across systems.
    """
    if len(ranks) != len(warm):
        raise ValueError("ranks and warm flags differ in length")
    warm_ranks = [rank for rank, is_warm in zip(ranks, warm, strict=True) if is_warm]

    def mean(values) -> float:
        values = list(values)
        return round(sum(values) / len(values), 4) if values else 0.0

    return {
        "mrr": mean(reciprocal_rank(rank) for rank in ranks),
        "r5": mean(recall_at(rank, 5) for rank in ranks),
        "r10": mean(recall_at(rank, 10) for rank in ranks),
        "mrr_warm": mean(reciprocal_rank(rank) for rank in warm_ranks),
        "r5_warm": mean(recall_at(rank, 5) for rank in warm_ranks),
        "r10_warm": mean(recall_at(rank, 10) for rank in warm_ranks),
    }


def rank_of(
    target: int | None, scores: dict[int, float], candidates: Sequence[int], *, exclude: int | None
) -> int | None:
    """Rank of ``target`` among ``candidates`` minus ``exclude``, by score (higher first, ties to the
    lower id, as the engine breaks them); ``None`` when the target is not a candidate at all."""
    if target is None or target == exclude:
        return None
    best = scores.get(target, 0.0)
    ahead = 0
    found = False
    for candidate in candidates:
        if candidate == target:
            found = True
            continue
        if candidate == exclude:
            continue
        value = scores.get(candidate, 0.0)
        if value > best or (value == best and candidate < target):
            ahead += 1
    return ahead + 1 if found else None
