"""Organisers' workflows on webhook endpoints. The web pages and the REST API both call these.

A new or rotated secret is returned once, for the caller to show; afterwards only its last four
characters are ever shown (``Endpoint.secret_hint``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from openhelp.integrations.webhooks import limits, payloads, signing
from openhelp.integrations.webhooks.models import TEST_KIND, Delivery, DeliveryStatus, Endpoint
from openhelp.integrations.webhooks.tasks import send_delivery_task, send_due_task
from openhelp.platform.accounts.models import User
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.outbox.kinds import KINDS

ROTATION_OVERLAP = dt.timedelta(hours=24)  # the old secret still signs (second signature) this long
LOG_LENGTH = 50


@dataclass(frozen=True)
class WithSecret:
    endpoint: Endpoint
    secret: str  # shown once


def _clean(*, url: str, all_kinds: bool, kinds: Iterable[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        safe_http.check_url(url, resolve=False)  # no DNS in a request; connecting checks
    except ValidationError:
        errors["url"] = ["Enter an http:// or https:// URL."]
    except safe_http.BlockedDestination as blocked:
        errors["url"] = [f"This address cannot be reached from here: {safe_http.describe(blocked)}"]
    chosen = sorted(set(kinds))
    unknown = [kind for kind in chosen if kind not in KINDS]
    if unknown:
        errors["kinds"] = [f"Unknown event kinds: {', '.join(unknown)}."]
    elif not all_kinds and not chosen:
        errors["kinds"] = ["Choose at least one event, or every event."]
    if errors:
        raise ValidationError(errors)
    return url, [] if all_kinds else chosen


@transaction.atomic
def create_endpoint(
    *, actor: Any, url: str, description: str = "", all_kinds: bool = False, kinds: Iterable[str] = ()
) -> WithSecret:
    url, chosen = _clean(url=url, all_kinds=all_kinds, kinds=kinds)
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(
        url=url,
        description=description.strip(),
        all_kinds=all_kinds,
        kinds=chosen,
        secret=secret,
        created_by=actor,
    )
    return WithSecret(endpoint=endpoint, secret=secret)


@transaction.atomic
def update_endpoint(
    *, endpoint: Endpoint, url: str, description: str, all_kinds: bool, kinds: Iterable[str]
) -> Endpoint:
    url, chosen = _clean(url=url, all_kinds=all_kinds, kinds=kinds)
    endpoint.url, endpoint.description = url, description.strip()
    endpoint.all_kinds, endpoint.kinds = all_kinds, chosen
    endpoint.updated_at = now()
    endpoint.save(update_fields=["url", "description", "all_kinds", "kinds", "updated_at"])
    return endpoint


@transaction.atomic
def delete_endpoint(*, endpoint: Endpoint) -> None:
    endpoint.delete()  # its deliveries go with it


@transaction.atomic
def rotate_secret(*, endpoint: Endpoint) -> WithSecret:
    """A new secret signs from now on; the old one adds a second signature for a day, so a receiver can
    switch over without losing a message."""
    moment = now()
    secret = signing.new_secret()
    endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, moment + ROTATION_OVERLAP
    endpoint.secret, endpoint.updated_at = secret, moment
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    return WithSecret(endpoint=endpoint, secret=secret)


@transaction.atomic
def enable_endpoint(*, endpoint: Endpoint) -> Endpoint:
    """Switch a disabled endpoint back on with a clean record; what was waiting is sent now."""
    moment = now()
    endpoint.is_enabled, endpoint.disabled_reason, endpoint.disabled_at = True, "", None
    endpoint.failure_streak, endpoint.failing_since, endpoint.updated_at = 0, None, moment
    endpoint.save()
    # The receiver was fixed: what waits for a retry is sent now, not at the end of its back-off.
    waiting = endpoint.deliveries.filter(status=DeliveryStatus.PENDING)
    if waiting.update(next_attempt_at=moment, updated_at=moment):
        enqueue_on_commit(send_due_task)
    return endpoint


@transaction.atomic
def send_test(*, endpoint: Endpoint, actor: User | None = None) -> Delivery:
    """Queue one ``webhook.test`` message (tried once, never counted against the endpoint). Sent by a person
    (``actor``), it counts against their hourly ceiling (``limits.check_manual_send``)."""
    if not endpoint.is_enabled:
        raise ValidationError("Enable the endpoint first.")
    if actor is not None:
        limits.check_manual_send(actor)
        limits.count_manual_send(actor)
    moment = now()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        message_id=f"msg_test_{secrets.token_hex(12)}",
        kind=TEST_KIND,
        payload=payloads.for_test(moment=moment, endpoint_id=endpoint.pk),
        next_attempt_at=moment,
        created_at=moment,
        updated_at=moment,
    )
    enqueue_on_commit(send_delivery_task, delivery.pk)
    return delivery


@transaction.atomic
def replay_delivery(*, delivery: Delivery, actor: User | None = None) -> Delivery:
    """Send the same message again (same ``webhook-id``), with a fresh retry schedule; by a person
    (``actor``), counted against their hourly ceiling as a test message is."""
    if not delivery.endpoint.is_enabled:
        raise ValidationError("Enable the endpoint first.")
    if actor is not None:
        limits.check_manual_send(actor)
        limits.count_manual_send(actor)
    moment = now()
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at, delivery.updated_at = moment, moment
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    enqueue_on_commit(send_delivery_task, delivery.pk)
    return delivery


def recent_deliveries(endpoint: Endpoint) -> list[Delivery]:
    return list(endpoint.deliveries.order_by("-created_at", "-id")[:LOG_LENGTH])


def kind_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every event kind, grouped by area ("ask", "offer", …) in the order outbox.kinds lists them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind, holds in KINDS.items():
        groups.setdefault(kind.split(".", 1)[0], []).append((kind, holds))
    return list(groups.items())
