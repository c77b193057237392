"""For the demo seeding: let some demo people be named among knowledge nodes."""

from __future__ import annotations

from collections.abc import Iterable

from openhelp.organisers.network.services import set_knowledge_node_consent


def opt_in_demo_people(users: Iterable) -> int:
    """Give each of these people consent to be named; returns how many."""
    count = 0
    for user in users:
        set_knowledge_node_consent(user=user, named=True)
        count += 1
    return count
