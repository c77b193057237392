"""The k-anonymity rule (docs/privacy.md): every group shown covers at least MIN_GROUP_SIZE people."""

from __future__ import annotations

from openhelp.organisers.insights.privacy import MIN_GROUP_SIZE, group_labels, merge_small_groups, regroup


def test_small_groups_merge_into_other():
    assert MIN_GROUP_SIZE == 5
    assert merge_small_groups({"a": 10, "b": 3, "c": 2, "d": 6}) == {"a": 10, "d": 6, "Other": 5}


def test_an_other_still_too_small_absorbs_the_smallest_shown_group():
    # b alone (3) would expose three people; d (6) is the smallest shown group, so it joins.
    assert merge_small_groups({"a": 10, "b": 3, "d": 6}) == {"a": 10, "Other": 9}


def test_a_population_under_the_minimum_shows_nothing():
    assert merge_small_groups({"a": 3, "b": 1}) == {}
    assert merge_small_groups({}) == {}


def test_no_other_when_every_group_is_big_enough_and_totals_are_kept():
    counts = {"a": 5, "b": 7, "c": 1, "d": 1, "e": 2, "f": 40}
    merged = merge_small_groups(counts)
    assert sum(merged.values()) == sum(counts.values())
    assert all(n >= MIN_GROUP_SIZE for n in merged.values())
    assert merge_small_groups({"a": 5, "b": 7}) == {"a": 5, "b": 7}


def test_other_figures_follow_the_same_merge_and_unknown_groups_are_dropped():
    mapping = group_labels({"a": 10, "b": 2, "c": 4})
    assert regroup({"a": 30, "b": 1, "c": 2, "zzz": 99}, mapping) == {"a": 30, "Other": 3}


def test_custom_minimum_and_label():
    assert merge_small_groups({"x": 2, "y": 2, "z": 9}, min_size=3, other_label="Rest") == {"z": 9, "Rest": 4}
