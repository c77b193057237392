"""MRR and Recall@k on a toy set computed by hand."""

from __future__ import annotations

import pytest

from openhelp.directory.matching.evaluation.metrics import rank_of, summarise


def test_it_computes_mrr_and_recall_over_all_and_warm_questions():
    ranks = [1, 2, None, 6, 12]
    warm = [True, True, False, True, True]
    result = summarise(ranks, warm)
    assert result["mrr"] == pytest.approx(round((1 + 1 / 2 + 0 + 1 / 6 + 1 / 12) / 5, 4))
    assert result["r5"] == pytest.approx(2 / 5)
    assert result["r10"] == pytest.approx(3 / 5)
    assert result["mrr_warm"] == pytest.approx(round((1 + 1 / 2 + 1 / 6 + 1 / 12) / 4, 4))
    assert result["r10_warm"] == pytest.approx(3 / 4)


def test_it_ranks_a_target_with_ties_to_the_lower_id_and_without_the_asker():
    scores = {1: 0.9, 2: 0.5, 3: 0.5, 4: 0.1}
    candidates = [1, 2, 3, 4, 5]
    assert rank_of(3, scores, candidates, exclude=None) == 3
    assert rank_of(3, scores, candidates, exclude=1) == 2
    assert rank_of(5, scores, candidates, exclude=None) == 5  # no score counts as 0
    assert rank_of(1, scores, candidates, exclude=1) is None  # the asker is never a candidate
    assert rank_of(99, scores, candidates, exclude=None) is None
