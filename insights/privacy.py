"""The k-anonymity rule for insights: figures broken down by a group (team, programme, …) are shown only
for groups of at least ``MIN_GROUP_SIZE`` people; smaller groups are merged into "Other".

Rule (see docs/privacy.md):
1. Every group with fewer than ``min_size`` people is merged into ``other_label``.
2. If "Other" then holds fewer than ``min_size`` people (but more than zero), the smallest remaining
   groups are merged into it as well, one at a time, until it reaches ``min_size``. So every label shown
   covers at least ``min_size`` people and the shown groups still add up to the true total (a reader
   cannot recover a small group by subtracting the visible ones from a total shown elsewhere).
3. If the whole population is below ``min_size``, nothing is shown (an empty result).

``group_labels`` returns the mapping original label → shown label so that other figures (sessions,
asks, hours) can be re-aggregated with exactly the same merge as the people counts.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_GROUP_SIZE = 5
OTHER_LABEL = "Other"


def group_labels(
    counts: Mapping[str, int], *, min_size: int = MIN_GROUP_SIZE, other_label: str = OTHER_LABEL
) -> dict[str, str | None]:
    """Map each original group to the label it is shown under (``None`` = hidden entirely)."""
    total = sum(max(int(n), 0) for n in counts.values())
    if total < min_size:
        return {label: None for label in counts}
    shown = {label: label for label, n in counts.items() if n >= min_size and label != other_label}
    mapping: dict[str, str | None] = {label: (label if label in shown else other_label) for label in counts}
    other = sum(n for label, n in counts.items() if mapping[label] == other_label)
    # An "Other" that is non-empty but still small would expose its members: grow it from the smallest.
    while 0 < other < min_size:
        smallest = min(shown, key=lambda label: (counts[label], label))
        del shown[smallest]
        mapping[smallest] = other_label
        other += counts[smallest]
    return mapping


def merge_small_groups(
    counts: Mapping[str, int], *, min_size: int = MIN_GROUP_SIZE, other_label: str = OTHER_LABEL
) -> dict[str, int]:
    """Group → people, with groups under ``min_size`` merged into ``other_label`` (see the module rule)."""
    mapping = group_labels(counts, min_size=min_size, other_label=other_label)
    return regroup(counts, mapping, other_label=other_label)


def regroup(
    values: Mapping[str, float], mapping: Mapping[str, str | None], *, other_label: str = OTHER_LABEL
) -> dict:
    """Re-aggregate any additive figure with the mapping from ``group_labels``.

    Groups the mapping hides, or does not know, are dropped (never shown unmerged). "Other" comes last.
    """
    merged: dict = {}
    for label, value in values.items():
        target = mapping.get(label)
        if target is None:
            continue
        merged[target] = merged.get(target, 0) + value
    if other_label in merged:
        merged[other_label] = merged.pop(other_label)
    return merged
