"""Text relevance: a tokeniser and an incremental inverted index scored with BM25.

Documents are weighted bags of terms, so a caller can count one field (say a profile headline) more
than another by giving its terms a larger weight: a light form of field-weighted BM25 (BM25F).
Per-term contributions are cached between changes, so scoring a query only walks the postings of its
own terms: cost grows with how many documents share the query's words, not with the pool size.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-_][a-z0-9+#]+)*")
_SEPARATOR = re.compile(r"[\-_]")

# Short, general English function words; domain words ("use", "run", "work") stay searchable.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each either else etc even
    ever every few for from further get gets getting got had has have having he her here hers herself
    him himself his how i if im in into is isnt it its itself ive just let like ll me might mine more
    most much must my myself need neither no nor not now of off on once one only or other our ours
    ourselves out over own per please quite rather re really same shall she should so some such than
    thank thanks that thats the their theirs them themselves then there these they this those though
    through thus to too under until up upon us ve very via was we were what whats when where whether
    which while who whom whose why will with within without would yes yet you your yours yourself
    """.split()
)
_NOTHING: frozenset[str] = frozenset()
# How many texts ``terms_of`` remembers per process: about half a kilobyte each, the text included
# (terms are interned, so each remembered text adds a tuple of pointers), so 16 MB or so when full.
TERMS_MEMO_SIZE = 32_768


def tokenise(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Lower-cased words of ``text``; compounds like 'quantum-mechanics' also yield their parts.

    Keeps technical spellings whole ('c++', 'c#', 'node.js', '2.2-froyo') and drops one-letter
    words and, unless told otherwise, stopwords.
    """
    stop = STOPWORDS if drop_stopwords else _NOTHING
    words = _TOKEN.findall(text.lower())
    tokens = [word for word in words if len(word) > 1 and word not in stop]
    if "-" in text or "_" in text:  # only then can a word be a compound (cheap check on long texts)
        for word in words:
            if "-" in word or "_" in word:
                tokens.extend(part for part in _SEPARATOR.split(word) if len(part) > 1 and part not in stop)
    return tokens


@lru_cache(maxsize=TERMS_MEMO_SIZE)
def terms_of(text: str) -> tuple[str, ...]:
    """``tokenise(text)`` (stopwords dropped) as a tuple, remembered per process for recent texts.

    The same texts come back for every ask a mentor is a candidate for (their profile, the asks they
    helped with over the year), and tokenising them is most of the cost of indexing a mentor. The text
    itself is the key, so a changed text is a new key and a remembered one can never be stale.
    """
    return tuple(map(sys.intern, tokenise(text)))


class BM25Index:
    """An inverted index over weighted term bags, scored with Okapi BM25 (``k1``, ``b``).

    Documents live in integer slots so that scoring accumulates into a flat list rather than a
    dictionary, which is what keeps a query over a large pool cheap in plain Python.
    """

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._slots: dict[Hashable, int] = {}
        self._keys: list[Hashable | None] = []
        self._free: list[int] = []
        self._docs: dict[int, dict[str, float]] = {}
        self._lengths: dict[int, float] = {}
        self._postings: dict[str, dict[int, float]] = {}
        self._total_length = 0.0
        self._contributions: dict[str, tuple[list[int], list[float]]] = {}

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._slots

    def add(self, key: Hashable, terms: Iterable[str] | Mapping[str, float]) -> None:
        """Index (or re-index) the document ``key``: a list of terms or a term -> weight mapping."""
        self.remove(key)
        if isinstance(terms, Mapping):
            bag = {term: weight for term, weight in terms.items() if weight > 0}
        else:
            bag = dict(Counter(terms))  # counts are always positive
        if self._free:
            slot = self._free.pop()
            self._keys[slot] = key
        else:
            slot = len(self._keys)
            self._keys.append(key)
        self._slots[key] = slot
        self._docs[slot] = bag
        length = sum(bag.values())
        self._lengths[slot] = length
        self._total_length += length
        postings = self._postings
        for term, weight in bag.items():
            posting = postings.get(term)
            if posting is None:
                postings[term] = {slot: weight}
            else:
                posting[slot] = weight
        if self._contributions:
            self._contributions.clear()

    def remove(self, key: Hashable) -> None:
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        bag = self._docs.pop(slot)
        self._total_length -= self._lengths.pop(slot)
        for term in bag:
            posting = self._postings[term]
            del posting[slot]
            if not posting:
                del self._postings[term]
        self._keys[slot] = None
        self._free.append(slot)
        self._contributions.clear()

    def idf(self, term: str) -> float:
        df = len(self._postings.get(term, ()))
        n = len(self._slots)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _term_contributions(self, term: str) -> tuple[list[int], list[float]]:
        cached = self._contributions.get(term)
        if cached is not None:
            return cached
        posting = self._postings.get(term)
        if not posting:
            return [], []
        idf = self.idf(term)
        k1, b = self.k1, self.b
        average = self._total_length / len(self._slots)
        lengths = self._lengths
        slots = list(posting)
        values = [
            idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[slot] / average))
            for slot, tf in posting.items()
        ]
        self._contributions[term] = (slots, values)
        return slots, values

    def scores(self, query_terms: Iterable[str]) -> dict[Hashable, float]:
        """BM25 score of every document sharing a term with the query (others score 0)."""
        totals = [0.0] * len(self._keys)
        for term in set(query_terms):
            slots, values = self._term_contributions(term)
            for slot, value in zip(slots, values, strict=True):
                totals[slot] += value
        keys = self._keys
        return {keys[slot]: total for slot, total in enumerate(totals) if total}

    def matching_terms(self, key: Hashable, query_terms: Iterable[str], *, limit: int = 3) -> list[str]:
        """The query terms that contribute most to ``key``'s score, strongest first (for reasons)."""
        slot = self._slots.get(key)
        bag = self._docs.get(slot, {}) if slot is not None else {}
        found = [(self.idf(term) * min(bag[term], 3.0), term) for term in set(query_terms) if term in bag]
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return [term for _, term in found[:limit]]
