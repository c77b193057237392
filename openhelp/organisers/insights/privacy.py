"""The k-anonymity rule for organisers' figures (insights and the helper network), in one place.

Every figure is computed over a set of people: the organisation, a team, a programme's members, a team
within a programme, or a row of a breakdown by team. ``release`` decides, from who is in which team and
programme, which of those sets may be shown at all, so that no figure covers fewer than ``MIN_GROUP_SIZE``
people **and** no sum or difference of shown figures does either (see docs/privacy.md):

- teams are merged into shown groups with ``group_labels`` (below), over the whole organisation;
- the *atoms* are the people grouped by (shown group, the released programmes they belong to): every
  set that can be shown is a union of atoms, so any sum or difference of shown figures is one too;
- programmes are released one at a time, oldest (lowest id) first, only if splitting every atom by
  membership of the programme leaves each part empty or with at least ``min_size`` people. A programme
  that would split off a smaller part is withheld: its figures, alone or with a team, are never shown.

So every atom holds at least ``min_size`` people (or the organisation is under ``min_size`` and nothing
is shown), and no combination of shown figures can single out fewer people than that.

Merging teams (``group_labels``):
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

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

MIN_GROUP_SIZE = 5
OTHER_LABEL = "Other"

TOO_FEW = "This selection covers fewer than {k} people, so its figures are not shown."
MERGED_TEAM = (
    "This team is shown only as part of “Other” (teams under {k} people are merged, with as many others "
    "as needed to make “Other” at least {k}), so its figures are not shown on their own."
)
WITHHELD_PROGRAMME = (
    "This programme's figures are not shown: compared with the organisation's, team by team, they would "
    "reveal a group of fewer than {k} people (its members and the people outside it must each number "
    "0 or at least {k} in every team)."
)


@dataclass(frozen=True)
class Release:
    """Which sets of people may be shown (see the module rule). Built by ``release``; plain data."""

    min_size: int
    labels: dict[Hashable, str | None]  # team → its shown group (None: the organisation is too small)
    programmes: frozenset  # programmes whose figures may be shown
    atoms: dict[tuple[str, frozenset], int] = field(default_factory=dict)  # (group, programmes) → people
    team_sizes: dict[Hashable, int] = field(default_factory=dict)  # people per team, before merging
    programme_sizes: dict[Hashable, int] = field(default_factory=dict)  # members per programme
    other_label: str = OTHER_LABEL

    def group_sizes(self, programme: Hashable | None = None) -> dict[str, int]:
        """People per shown group, in the organisation or among a released programme's members."""
        sizes: Counter = Counter()
        for (group, programmes), n in self.atoms.items():
            if programme is None or programme in programmes:
                sizes[group] += n
        return {group: n for group, n in sizes.items() if n}

    def people(self, *, team: Hashable | None = None, programme: Hashable | None = None) -> int:
        """How many people a selection covers; 0 when it may not be shown (a withheld programme, a team
        merged into another group)."""
        if programme is not None and programme not in self.programmes:
            return 0
        sizes = self.group_sizes(programme)
        if team is None:
            return sum(sizes.values())
        # A team filter selects that team alone: only a team shown as its own group (a real team named
        # like the merged group is never one: its filter would select fewer people than the group).
        alone = self.labels.get(team) == team and team != self.other_label
        return sizes.get(team, 0) if alone else 0

    def refusal(self, *, team: Hashable | None = None, programme: Hashable | None = None) -> str | None:
        """Why this selection's figures may not be shown (None: they may). ``team`` is a team label as
        given to ``release``."""
        k = self.min_size
        if programme is not None and programme not in self.programmes:
            small = self.programme_sizes.get(programme, 0) < k
            return (TOO_FEW if small else WITHHELD_PROGRAMME).format(k=k)
        merged = self.labels.get(team) != team or team == self.other_label
        if team is not None and merged and self.team_sizes.get(team, 0) >= k:
            return MERGED_TEAM.format(k=k)
        if self.people(team=team, programme=programme) < k:
            return TOO_FEW.format(k=k)
        return None


def release(
    people: Iterable[tuple[Hashable, frozenset]] | Mapping[tuple[Hashable, frozenset], int],
    *,
    min_size: int = MIN_GROUP_SIZE,
    other_label: str = OTHER_LABEL,
) -> Release:
    """The sets that may be shown, from each person's (team label, programmes they belong to).

    ``people`` is either one pair per person or a count of people per pair (the same thing, grouped).
    Programmes are considered in sorted order: an older programme is never withheld because a newer one
    was created."""
    patterns: Counter = Counter(people) if not isinstance(people, Mapping) else Counter(dict(people))
    sizes: Counter = Counter()
    for (team, _), n in patterns.items():
        sizes[team] += n
    members: Counter = Counter()
    for (_, programmes), n in patterns.items():
        for programme in programmes:
            members[programme] += n
    labels = group_labels(sizes, min_size=min_size, other_label=other_label)
    known = {"team_sizes": dict(sizes), "programme_sizes": dict(members), "other_label": other_label}
    if any(label is None for label in labels.values()):
        return Release(min_size=min_size, labels=labels, programmes=frozenset(), **known)
    candidates = sorted(members)
    accepted: frozenset = frozenset()
    atoms = _atoms(patterns, labels, accepted)
    for programme in candidates:
        trial = _atoms(patterns, labels, accepted | {programme})
        if all(n >= min_size for n in trial.values() if n):
            accepted, atoms = accepted | {programme}, trial
    return Release(min_size=min_size, labels=labels, programmes=accepted, atoms=dict(atoms), **known)


def _atoms(patterns: Mapping, labels: Mapping, released: frozenset) -> Counter:
    atoms: Counter = Counter()
    for (team, programmes), n in patterns.items():
        atoms[(labels[team], frozenset(programmes) & released)] += n
    return atoms


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
