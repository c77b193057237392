"""Keyset pages of the public kudos feed for the API: newest first, read from the partial index on public
kudos by (created_at, id), a page at a time, however many kudos there are.

The web feed (``services.feed_page``) only walks to older pages and names its place by a kudos id. The API
also walks back to newer pages and must not depend on the anchor row still being there (a kudos can be
deleted between two pages), so its cursor carries the sort key itself: (created_at, id), opaque to clients
(URL-safe base64 of JSON). ``before`` reads older kudos than the key, ``after`` newer ones; ties on the
instant are broken by id, so no kudos is shown twice or skipped while new ones arrive at the top.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from openhelp.community.recognition.models import Kudos
from openhelp.community.recognition.services import recognition_feed

# Counting stops here (as the people API does): "more than 1,000" costs the same as "12".
COUNT_CAP = 1000
INVALID = "This page link is not valid; start again from the first page."


@dataclass(frozen=True)
class FeedKey:
    """A kudos' place in the feed order."""

    created_at: dt.datetime
    pk: int

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), self.pk], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> FeedKey:
        """The key a cursor names; ``ValueError`` for anything a client made up or cut short."""
        try:
            padded = token + "=" * (-len(token) % 4)
            moment, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
            created_at = dt.datetime.fromisoformat(moment)
        except (ValueError, TypeError, binascii.Error) as error:
            raise ValueError(INVALID) from error
        if not isinstance(pk, int) or isinstance(pk, bool) or created_at.tzinfo is None:
            raise ValueError(INVALID)
        return cls(created_at, pk)

    @classmethod
    def of(cls, kudos: Kudos) -> FeedKey:
        return cls(kudos.created_at, kudos.pk)


@dataclass
class FeedPage:
    kudos: list[Kudos]
    older: FeedKey | None  # read on with before=older (the last one shown) when there are older ones
    newer: FeedKey | None  # read back with after=newer (the first one shown) when there are newer ones


def _older_than(key: FeedKey) -> Q:
    return Q(created_at__lt=key.created_at) | Q(created_at=key.created_at, pk__lt=key.pk)


def _newer_than(key: FeedKey) -> Q:
    return Q(created_at__gt=key.created_at) | Q(created_at=key.created_at, pk__gt=key.pk)


def feed_keyset_page(
    *,
    skill_ids: set[int] | None = None,
    size: int,
    before: FeedKey | None = None,
    after: FeedKey | None = None,
    page_number: int | None = None,
) -> FeedPage:
    """One page of the public feed: older than ``before``, newer than ``after``, or (deprecated) the
    ``page_number``-th page from the newest; the newest page without any of them. One query, plus one
    cheap existence check when the page was read from the other side."""
    feed = recognition_feed(skill_ids=skill_ids)
    if after is not None:  # walk towards the newest: read upwards, then show newest first
        rows = list(feed.filter(_newer_than(after)).order_by("created_at", "pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        more_older = bool(rows) and feed.filter(_older_than(FeedKey.of(rows[-1]))).exists()
    else:
        newest_first = feed.order_by("-created_at", "-pk")
        if before is not None:
            newest_first = newest_first.filter(_older_than(before))
        skip = (page_number - 1) * size if page_number and before is None else 0
        rows = list(newest_first[skip : skip + size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        if before is not None:
            more_newer = bool(rows) and feed.filter(_newer_than(FeedKey.of(rows[0]))).exists()
        else:
            more_newer = skip > 0 and bool(rows)
    return FeedPage(
        kudos=rows,
        older=FeedKey.of(rows[-1]) if rows and more_older else None,
        newer=FeedKey.of(rows[0]) if rows and more_newer else None,
    )


def capped_feed_count(*, skill_ids: set[int] | None = None, cap: int | None = None) -> tuple[int, bool]:
    """How many kudos the feed holds, counted up to ``cap`` (exact below it), and whether it stopped."""
    cap = COUNT_CAP if cap is None else cap
    rows: QuerySet[Kudos] = recognition_feed(skill_ids=skill_ids)
    value = rows.order_by().values("pk")[: cap + 1].count()
    return min(value, cap), value > cap
