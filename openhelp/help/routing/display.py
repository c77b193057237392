"""How offers read to the mentor: "why you" with the capacity left *now*, in the inbox's own words.

An offer keeps the reasons matching gave when it was made. One of them, "has 1 of 4 sessions left this
week", is a snapshot: by the time the mentor reads it, accepted or cancelled asks (or a new week) have
changed it, and the inbox's meter next to it says otherwise. So that reason is never shown as stored: an
open offer shows the capacity computed now by ``openhelp.directory.people.capacity`` (the meter's one computation), in the
meter's one wording (``capacity_sentence``), and an answered offer leaves it out.
"""

from __future__ import annotations

import re

from openhelp.directory.people.capacity import Capacity

# Matching's wording ("has 1 of 4 sessions left this week") and the demo's ("Has 1 of 4 sessions left …").
_SNAPSHOT = re.compile(r"^(?:you )?(?:has|have) \d+ of \d+ sessions? left this week\.?$", re.IGNORECASE)


def capacity_sentence(capacity: Capacity) -> str:
    """'2 of 4 sessions left this week', 'No sessions left this week', 'Up to 90 minutes a week' or ''."""
    if capacity.sessions_per_week is not None and capacity.sessions_left:
        return f"{capacity.text} this week"
    return capacity.text


def _sentence(text: str) -> str:
    text = text.strip().rstrip(";")
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def reasons_for(reasons: list[str], *, capacity: Capacity | None, is_open: bool) -> list[str]:
    """The reasons to show: the stored capacity snapshot replaced by the capacity left now (open offers
    with sessions left) or dropped (answered offers, or none left)."""
    shown: list[str] = []
    for reason in reasons:
        parts = [part.strip() for part in str(reason).split(";")]
        kept = [part for part in parts if part and not _SNAPSHOT.match(part)]
        if len(kept) != len(parts) and is_open and capacity is not None and capacity.sessions_left:
            shown.append(f"You have {capacity_sentence(capacity)}.")
        if kept:
            shown.append(_sentence("; ".join(kept)))
    return shown
