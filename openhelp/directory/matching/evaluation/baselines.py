"""The two reference rankings every evaluation reports next to the engine, from the same data.

BM25 (k1=1.2, b=0.75) of the question's text against one document per candidate (the title, body
and tags of each training question they answered, plus their answer), and popularity (most
training answers first). The BM25 baseline keeps stopwords: on these documents that makes it
stronger (it then reproduces the reference figures in the data set's README), and a baseline
should be given its best shot.
"""

from __future__ import annotations

from collections import Counter

from openhelp.directory.matching.evaluation.dataset import Dataset, Question, question_text
from openhelp.directory.matching.text import BM25Index, tokenise


class BM25Baseline:
    def __init__(self, dataset: Dataset) -> None:
        documents: dict[int, list[str]] = {}
        for question in dataset.train:
            context = tokenise(question_text(question), drop_stopwords=False)
            for answer in dataset.answers.get(question.id, ()):
                documents.setdefault(answer.user_id, []).extend(
                    context + tokenise(answer.text, drop_stopwords=False)
                )
        self.index = BM25Index(k1=1.2, b=0.75)
        for user_id, terms in documents.items():
            self.index.add(user_id, terms)

    def scores(self, question: Question) -> dict[int, float]:
        return self.index.scores(tokenise(question_text(question), drop_stopwords=False))


class PopularityBaseline:
    def __init__(self, dataset: Dataset) -> None:
        counts: Counter[int] = Counter()
        for question in dataset.train:
            counts.update(answer.user_id for answer in dataset.answers.get(question.id, ()))
        self.counts = {user_id: float(count) for user_id, count in counts.items()}

    def scores(self, question: Question) -> dict[int, float]:
        return self.counts


class AcceptedBaseline:
    """A third reference the data set's README mentions: most accepted training answers first
    (ties to the most training answers); sometimes stronger than popularity."""

    def __init__(self, dataset: Dataset) -> None:
        accepted: Counter[int] = Counter()
        answered: Counter[int] = Counter()
        for question in dataset.train:
            for answer in dataset.answers.get(question.id, ()):
                answered[answer.user_id] += 1
                accepted[answer.user_id] += answer.is_accepted
        most = max(answered.values(), default=0) + 1
        self.scores_by_user = {user: accepted[user] + count / most for user, count in answered.items()}

    def scores(self, question: Question) -> dict[int, float]:
        return self.scores_by_user
