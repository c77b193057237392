"""Tokeniser and the BM25 inverted index."""

from __future__ import annotations

import math

import pytest

from openhelp.directory.matching.text import BM25Index, tokenise


def test_it_tokenises_technical_words_and_drops_stopwords():
    assert tokenise("How do I use C++ and Node.js with the quantum-mechanics tag? a") == [
        "use",
        "c++",
        "node.js",
        "quantum-mechanics",
        "tag",
        "quantum",
        "mechanics",
    ]
    assert "the" in tokenise("the answer", drop_stopwords=False)


def test_it_scores_documents_with_bm25():
    index = BM25Index(k1=1.2, b=0.75)
    index.add("a", ["postgres", "index", "postgres"])
    index.add("b", ["css", "grid", "layout", "index"])
    scores = index.scores(["postgres", "index"])
    n, average = 2, 3.5

    def part(tf, df, length):
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / average))

    assert scores["a"] == pytest.approx(part(2, 1, 3) + part(1, 2, 3))
    assert scores["b"] == pytest.approx(part(1, 2, 4))
    assert index.scores(["nothing"]) == {}


def test_it_updates_the_index_when_documents_change():
    index = BM25Index()
    index.add("a", ["postgres"])
    index.add("b", ["css"])
    assert set(index.scores(["postgres", "css"])) == {"a", "b"}
    index.remove("a")
    assert "a" not in index
    assert set(index.scores(["postgres", "css"])) == {"b"}
    index.add("b", {"postgres": 2.0})
    index.add("c", ["css"])
    assert set(index.scores(["postgres"])) == {"b"}
    assert set(index.scores(["css"])) == {"c"}
    assert len(index) == 2
    assert index.matching_terms("b", ["postgres", "css"]) == ["postgres"]
