"""One attempt at one delivery: claim it, sign it, POST it through the SSRF-safe client, record the answer.

**Claim.** A conditional UPDATE moves a due delivery's ``next_attempt_at`` a lease ahead; only the worker
whose UPDATE changed the row sends, so a retry task and the periodic sweep never send one message twice
at once. The HTTP call runs outside any transaction; its outcome is recorded in a short one after.

**Retries** (``settings.WEBHOOKS["RETRY_SCHEDULE_SECONDS"]``, by default 5 s, 5 min, 30 min, 2 h, 5 h,
10 h, 10 h) only for answers a retry can change: no answer (network error, timeout), 5xx, 408 and 429. A
``Retry-After`` on a 429 or 503 is honoured when longer than the schedule (up to a day). Any other answer
(2xx aside) fails at once: 4xx, and 3xx (redirects are never followed).

**Disabling.** Each delivery that ends in failure adds one to its endpoint's streak, a success resets it;
an endpoint is disabled after ``DISABLE_AFTER_FAILED_DELIVERIES`` failures in a row, or when every
attempt has failed for ``DISABLE_AFTER_DAYS``. Test messages never count.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from openhelp.integrations.webhooks import signing
from openhelp.integrations.webhooks.models import TEST_KIND, Delivery, DeliveryStatus, Endpoint
from openhelp.platform.accounts.models import User
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import number_from_text
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable
from openhelp.platform.notifications.services import notify

RESPONSE_EXCERPT = 2048  # bytes of the answer kept (and read)
LEASE = dt.timedelta(minutes=2)  # longer than one attempt can take (timeouts are a few seconds)
MAX_RETRY_AFTER = dt.timedelta(days=1)
RETRYABLE_STATUSES = {408, 429}

logger = logging.getLogger(__name__)


def _policy() -> dict[str, Any]:
    policy: dict[str, Any] = settings.WEBHOOKS
    return policy


def retry_schedule() -> list[int]:
    return list(_policy()["RETRY_SCHEDULE_SECONDS"])


def disable_after_failed_deliveries() -> int:
    return int(_policy()["DISABLE_AFTER_FAILED_DELIVERIES"])


def disable_after() -> dt.timedelta:
    return dt.timedelta(days=_policy()["DISABLE_AFTER_DAYS"])


def timeout() -> tuple[float, float]:
    return (float(_policy()["CONNECT_TIMEOUT"]), float(_policy()["READ_TIMEOUT"]))


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    retryable: bool
    status_code: int | None = None
    response: str = ""
    error: str = ""
    duration_ms: int | None = None
    retry_after: dt.timedelta | None = None


def due_ids(*, limit: int) -> list[int]:
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now(), endpoint__is_enabled=True
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def _claim(delivery_id: int) -> bool:
    moment = now()
    enabled = Endpoint.objects.filter(is_enabled=True).values("id")
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=moment,
            endpoint_id__in=enabled,
        ).update(next_attempt_at=moment + LEASE, updated_at=moment)
    )


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def send_delivery(delivery_id: int) -> tuple[bool, dt.datetime | None]:
    """Attempt the delivery if it is due and nobody else is sending it. Returns whether it was attempted
    and, when it will be retried, when."""
    if not _claim(delivery_id):
        return False, None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if is_unreadable(endpoint.secret):
        # Signing with nothing would send what no receiver can check: fail it, say why, never retry.
        reason = f"The signing secret {UNREADABLE_HINT}: rotate the secret, then replay."
        logger.warning("Webhook delivery %s to endpoint %s not sent: %s", delivery_id, endpoint.pk, reason)
        return True, _record(delivery_id, Outcome(succeeded=False, retryable=False, error=reason))
    moment = now()
    body = body_bytes(delivery.payload)
    headers = signing.headers(
        endpoint.signing_secrets(moment),
        message_id=delivery.message_id,
        timestamp=int(moment.timestamp()),
        body=body,
    )
    outcome = attempt(endpoint.url, headers=headers, body=body)
    return True, _record(delivery_id, outcome)


def attempt(url: str, *, headers: dict[str, str], body: bytes) -> Outcome:
    """POST once and classify the answer."""
    try:
        response = safe_http.safe_request(
            "POST",
            url,
            headers=headers,
            body=body,
            timeout=timeout(),
            max_bytes=RESPONSE_EXCERPT,
            truncate=True,
        )
    except safe_http.BlockedDestination as blocked:
        return Outcome(
            succeeded=False, retryable=False, error=f"Refused: {safe_http.describe(blocked)}"[:500]
        )
    except requests.Timeout:
        return Outcome(succeeded=False, retryable=True, error="No answer within the timeout.")
    except requests.RequestException as failure:
        return Outcome(succeeded=False, retryable=True, error=safe_http.describe(failure)[:500])
    code = response.status_code
    return Outcome(
        succeeded=200 <= code < 300,
        retryable=code >= 500 or code in RETRYABLE_STATUSES,
        status_code=code,
        response=response.text,
        error="A redirect (not followed): fix the URL." if 300 <= code < 400 else "",
        duration_ms=round(response.elapsed * 1000),
        retry_after=_retry_after(response.headers.get("Retry-After", "")),
    )


def _retry_after(value: str) -> dt.timedelta | None:
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdecimal():  # seconds; a number past the cap is the cap
        seconds = number_from_text(value, within=range(int(MAX_RETRY_AFTER.total_seconds())))
        return MAX_RETRY_AFTER if seconds is None else dt.timedelta(seconds=seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(when - now(), dt.timedelta(0)), MAX_RETRY_AFTER)


@transaction.atomic
def _record(delivery_id: int, outcome: Outcome) -> dt.datetime | None:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    moment = now()
    delivery.attempts += 1
    delivery.last_attempt_at = moment
    delivery.last_status_code = outcome.status_code
    delivery.last_response = outcome.response
    delivery.last_error = outcome.error
    delivery.last_duration_ms = outcome.duration_ms
    delivery.updated_at = moment
    retry_at = None
    is_test = delivery.kind == TEST_KIND
    if outcome.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.next_attempt_at = None
        if not is_test:
            endpoint.failure_streak, endpoint.failing_since = 0, None
    else:
        schedule = [] if is_test else retry_schedule()
        if outcome.retryable and delivery.attempts <= len(schedule):
            delay = dt.timedelta(seconds=schedule[delivery.attempts - 1])
            if outcome.retry_after is not None and outcome.status_code in {429, 503}:
                delay = max(delay, outcome.retry_after)
            retry_at = moment + delay
            delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, retry_at
        else:
            delivery.status = DeliveryStatus.GAVE_UP if outcome.retryable else DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            if not is_test:
                endpoint.failure_streak += 1
        if not is_test:
            endpoint.failing_since = endpoint.failing_since or moment
            _disable_if_failing(endpoint, moment)
    delivery.save()
    endpoint.save(
        update_fields=["failure_streak", "failing_since", "is_enabled", "disabled_reason", "disabled_at"]
    )
    return retry_at


def _disable_if_failing(endpoint: Endpoint, moment: dt.datetime) -> None:
    if not endpoint.is_enabled:
        return
    reason = ""
    if endpoint.failure_streak >= disable_after_failed_deliveries():
        reason = f"{endpoint.failure_streak} deliveries in a row failed."
    elif endpoint.failing_since is not None and moment - endpoint.failing_since >= disable_after():
        reason = f"Every delivery has failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC."
    if reason:
        endpoint.is_enabled, endpoint.disabled_reason, endpoint.disabled_at = False, reason, moment
        notify(
            event="webhooks.disabled",
            recipients=User.objects.filter(is_organiser=True, is_active=True),
            title=f"Webhook disabled: {endpoint}",
            body=f"{reason} Nothing is sent to {endpoint.url} until an organiser enables it again.",
            url=reverse("webhooks:detail", args=[endpoint.pk]),
            dedupe_key=f"endpoint-{endpoint.pk}-{moment.isoformat()}",
        )
