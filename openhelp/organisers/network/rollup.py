"""The help-link roll-up: one row per helper → helped → month, from the records help leaves behind.

Both paths share ``_help_events`` (what counts as help, and when) but not their bookkeeping:
``refresh_pairs`` re-derives only the pairs a change touched (``openhelp.organisers.network.consumer``, reading the
outbox); ``rebuild_help_links`` throws the table away and derives it again from scratch
(``manage.py rebuild_network``). The tests prove the two agree after creates, state changes and deletes.
The team-flow roll-up (``openhelp.organisers.network.teamflow``) is derived from this table and follows both paths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from openhelp.community.moments.models import Introduction, IntroductionState
from openhelp.community.recognition.models import Kudos
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.organisers.network.models import HelpLink
from openhelp.organisers.network.teamflow import rebuild_team_flow

BATCH = 5_000
Pair = tuple[int, int]  # (helper id, helped id)


@dataclass(slots=True)
class _Tally:
    sessions: int = 0
    kudos: int = 0
    introductions: int = 0
    last_at: dt.datetime | None = None

    def add(self, kind: str, when: dt.datetime) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if self.last_at is None or when > self.last_at:
            self.last_at = when


def month_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date().replace(day=1)


def _help_events(
    *, sessions: Q | None = None, kudos: Q | None = None, introductions: Q | None = None
) -> Iterator[tuple[int, int, str, dt.datetime]]:
    """(helper, helped, kind, when) for every act of help matching the filters (None = all).

    - a **completed** session: its mentor helped its mentee (planned and cancelled ones do not count);
    - a **public** kudos: its receiver helped its giver (a private kudos is seen by its two people only,
      so it never feeds organisers' figures);
    - a **connected** introduction: the introducer helped each of the two people introduced.
    """
    held = Session.objects.filter(state=SessionState.COMPLETED).filter(sessions or Q())
    held = held.annotate(when=Coalesce("completed_at", "starts_at", "created_at")).order_by()
    for helper, helped, when in held.values_list("mentor_id", "mentee_id", "when").iterator(BATCH):
        yield helper, helped, "sessions", when
    thanked = Kudos.objects.filter(public=True).filter(kudos or Q()).order_by()
    for helper, helped, when in thanked.values_list("receiver_id", "giver_id", "created_at").iterator(BATCH):
        yield helper, helped, "kudos", when
    connected = Introduction.objects.filter(state=IntroductionState.CONNECTED).filter(introductions or Q())
    connected = connected.annotate(when=Coalesce("connected_at", "created_at")).order_by()
    rows = connected.values_list("introducer_id", "first_id", "second_id", "when").iterator(BATCH)
    for helper, first, second, when in rows:
        yield helper, first, "introductions", when
        yield helper, second, "introductions", when


def _links(events: Iterable[tuple[int, int, str, dt.datetime]]) -> Iterator[HelpLink]:
    tallies: dict[tuple[int, int, dt.date], _Tally] = {}
    for helper, helped, kind, when in events:
        if helper == helped:
            continue
        tallies.setdefault((helper, helped, month_of(when)), _Tally()).add(kind, when)
    for (helper, helped, month), tally in tallies.items():
        yield HelpLink(
            helper_id=helper,
            helped_id=helped,
            month=month,
            sessions=tally.sessions,
            kudos=tally.kudos,
            introductions=tally.introductions,
            last_at=tally.last_at,
        )


def _pair_filters(pairs: set[Pair]) -> dict[str, Q]:
    sessions, kudos, introductions = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for helper, helped in pairs:
        sessions |= Q(mentor_id=helper, mentee_id=helped)
        kudos |= Q(receiver_id=helper, giver_id=helped)
        introductions |= Q(introducer_id=helper) & (Q(first_id=helped) | Q(second_id=helped))
    return {"sessions": sessions, "kudos": kudos, "introductions": introductions}


def refresh_pairs(*, pairs: Iterable[Pair]) -> int:
    """Re-derive the rows of these helper → helped pairs; returns how many rows they now have.

    Idempotent, and safe to run late or twice: it reads the current state, not a delta. The pair's rows
    are deleted *first*, so on PostgreSQL a concurrent refresh of the same pair waits on those row locks
    and then counts what the first one committed; two first-ever refreshes racing on a new pair make one
    fail on the unique constraint, and the task's retry re-derives it.
    """
    wanted = {(int(a), int(b)) for a, b in pairs if a is not None and b is not None and a != b}
    if not wanted:
        return 0
    with transaction.atomic():
        stale = Q(pk__in=[])
        for helper, helped in wanted:
            stale |= Q(helper_id=helper, helped_id=helped)
        HelpLink.objects.filter(stale).delete()
        links = [link for link in _links(_help_events(**_pair_filters(wanted))) if _pair(link) in wanted]
        HelpLink.objects.bulk_create(links)
    return len(links)


def _pair(link: HelpLink) -> Pair:
    return (link.helper_id, link.helped_id)


def rebuild_help_links() -> int:
    """Derive the whole table again from scratch, then the team-flow roll-up built on it (same
    transaction); returns the number of help-link rows."""

    with transaction.atomic():
        HelpLink.objects.all().delete()
        batch: list[HelpLink] = []
        total = 0
        for link in _links(_help_events()):
            batch.append(link)
            if len(batch) >= BATCH:
                HelpLink.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        HelpLink.objects.bulk_create(batch)
        rebuild_team_flow()
        return total + len(batch)


def pairs_of_session(session_id: int) -> set[Pair]:
    row = Session.objects.filter(pk=session_id).values_list("mentor_id", "mentee_id").first()
    return {row} if row else set()
