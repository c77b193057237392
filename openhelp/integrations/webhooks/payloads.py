"""What a webhook message says: the event's kind, when it happened and its payload (ids, as the outbox keeps
them; see outbox.kinds), plus a link to the page of the ask or session it is about.

    {"type": "offer.accepted", "timestamp": "2026-12-06T08:00:00+00:00",
     "data": {"event_id": 41, "actor_id": 7, "offer": 12, "ask": 5, "mentor": 7,
              "links": {"ask": "https://help.example.org/asks/5/"}}}

No private text leaves: the receiver follows the link (or the REST API) with its own access.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse

from openhelp.platform.outbox.models import Event

# payload key → the page it links to
LINKED_PAGES = {"ask": "asks:detail", "session": "mentoring:detail"}


def is_shared(event: Event) -> bool:
    """Whether the event may leave at all. A private kudos is seen by its two people only (the feed, the
    profiles and their counts leave it out), so its ``kudos.given`` is not sent: the ids alone would tell an
    organiser's endpoint who thanked whom in private (found in the security review)."""
    return not (event.kind == "kudos.given" and event.payload.get("public") is not True)


def message_id(event_id: int) -> str:
    """The ``webhook-id`` of an event's message: stable across retries, replays and endpoints."""
    return f"msg_evt_{event_id}"


def _links(payload: dict[str, Any]) -> dict[str, str]:
    links = {}
    for key, url_name in LINKED_PAGES.items():
        value = payload.get(key)
        if isinstance(value, int):
            try:
                links[key] = settings.SITE_URL + reverse(url_name, args=[value])
            except NoReverseMatch:
                continue
    return links


def for_event(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"event_id": event.pk, "actor_id": event.actor_id, **event.payload}
    links = _links(event.payload)
    if links:
        data["links"] = links
    return {"type": event.kind, "timestamp": event.occurred_at.isoformat(), "data": _plain(data)}


def for_test(*, moment: dt.datetime, endpoint_id: int) -> dict[str, Any]:
    return {
        "type": "webhook.test",
        "timestamp": moment.isoformat(),
        "data": {"endpoint_id": endpoint_id, "message": "A test message from Open to Help."},
    }


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Dates and the like as JSON strings, as they will be sent (the JSONField stores plain JSON)."""
    encoder = DjangoJSONEncoder()
    return {key: _plain_value(value, encoder) for key, value in data.items()}


def _plain_value(value: Any, encoder: DjangoJSONEncoder) -> Any:
    if isinstance(value, dict):
        return {key: _plain_value(item, encoder) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_value(item, encoder) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return encoder.default(value)
