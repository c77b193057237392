"""Workflows of the helper network that change something."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from openhelp.organisers.network.models import KnowledgeNodeConsent
from openhelp.organisers.network.tasks import recompute_knowledge_nodes
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User


def consent_of(user: User) -> KnowledgeNodeConsent:
    """This person's choice (not stored until they make one; the default is not named)."""
    return KnowledgeNodeConsent.objects.filter(user=user).first() or KnowledgeNodeConsent(user=user)


def set_knowledge_node_consent(*, user: User, named: bool) -> KnowledgeNodeConsent:
    with transaction.atomic():
        consent, _ = KnowledgeNodeConsent.objects.update_or_create(
            user=user, defaults={"named": named, "updated_at": now()}
        )
    return consent


def request_recompute() -> None:
    """Queue a recomputation of the knowledge nodes (the page shows the old snapshot until it is done)."""

    with transaction.atomic():
        enqueue_on_commit(recompute_knowledge_nodes)
