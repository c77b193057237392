"""Every field of ``Weights`` in plain words, for the people who tune them (a programme's organisers).

The signal weights first, in the order ``SIGNALS`` shows reasons; then the constants the signals use, which
few people need to touch. ``tests/matching/test_weight_labels.py`` checks both cover ``Weights`` exactly.
"""

from __future__ import annotations

from typing import NamedTuple


class WeightLabel(NamedTuple):
    label: str
    description: str


SIGNAL_LABELS: dict[str, WeightLabel] = {
    "skill_fit": WeightLabel("Skill level", "How high the expert rates themselves on the skills asked."),
    "proven_help": WeightLabel("Proven help", "How often they have already helped with these skills."),
    "relevance": WeightLabel(
        "Relevant experience", "How close their profile and past help are to what the ask says."
    ),
    "availability": WeightLabel(
        "Availability", "Sessions they have left this week, and how soon their next office-hours slot is."
    ),
    "responsiveness": WeightLabel(
        "Responsiveness", "How often and how fast they answer the asks offered to them."
    ),
    "activity": WeightLabel("Recent activity", "How much help they have given lately."),
    "load": WeightLabel(
        "Fair spread of load",
        "Favours people with fewer recent sessions, so the same few are not always asked.",
    ),
    "timezone": WeightLabel(
        "Time-zone overlap", "How much of the mentee's working day their working day covers."
    ),
    "fresh_perspective": WeightLabel(
        "Fresh perspective",
        "Favours someone the mentee has not met yet (someone they know, when the mentee asks for that).",
    ),
}

CONSTANT_LABELS: dict[str, WeightLabel] = {
    "neutral": WeightLabel(
        "Score without data", "What a signal scores when it knows nothing about someone, between 0 and 1."
    ),
    "related_skill_credit": WeightLabel(
        "Credit for a related skill",
        "How much a parent or child skill counts for the one asked, between 0 and 1.",
    ),
    "activity_half_life_days": WeightLabel(
        "Half-life of past help (days)", "Past help counts half after this many days."
    ),
    "proven_help_smoothing": WeightLabel(
        "Smoothing of proven help", "Added to each skill's total, so one answer on a rare skill is not 100 %."
    ),
    "response_hours_scale": WeightLabel(
        "Reply time that scores half (hours)", "Someone who usually replies after this many hours scores ½."
    ),
    "slot_hours_scale": WeightLabel(
        "Next free slot that scores half (hours)", "A first free slot this many hours away scores ½."
    ),
    "load_window_weeks": WeightLabel(
        "Load counted over (weeks)", "Recent sessions are counted over this many weeks."
    ),
}
