"""Duration histograms: log-spaced minute buckets (four per doubling, so ±19 %), enough for percentiles.

Bucket ``b`` holds durations ``m`` (minutes) with ``2**((b-1)/4) < m <= 2**(b/4)``; bucket 0 holds ≤ 1
minute. A percentile is reported as the upper edge of the bucket it falls in ("at most this long").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

STEPS_PER_DOUBLING = 4


def bucket_of(minutes: float) -> int:
    if minutes <= 1:
        return 0
    return math.ceil(STEPS_PER_DOUBLING * math.log2(minutes) - 1e-9)


def upper_edge(bucket: int) -> float:
    return 2 ** (bucket / STEPS_PER_DOUBLING)


def percentile(histogram: Mapping[int, int], pct: float) -> float | None:
    """Nearest-rank percentile of a histogram, as minutes (the bucket's upper edge); None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(total * pct / 100))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return upper_edge(bucket)
    return None  # pragma: no cover - unreachable: seen reaches total
