"""The audits after each fault (bench/cluster/faults.py): nothing lost, nothing duplicated.

Each check reads the database (and the SMTP sink's record) for what happened since ``since``:

- **seats**: on every slot booked since then, confirmed bookings ≤ seats (over-booked slots: 0);
- **notifications**: each booking, kudos and accepted offer of the window told each person concerned
  exactly once (one row per booking/kudos/offer, event and recipient; none missing);
- **e-mails**: each of those notifications that wanted an e-mail is marked sent and the sink received it
  exactly once (by its X-Notification-Id header);
- **outbox**: every registered consumer's cursor has passed every event, each workflow of the window
  recorded exactly one event, and the consumers' effects equal a rebuild from scratch (the insights
  roll-ups and the help links, recomputed in a transaction that is rolled back): handled once in effect;
- **committed**: every write the load driver saw succeed is in the database (nothing committed lost).

Every function returns plain numbers, so the runner prints them and writes them to docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q


def _until() -> dt.datetime:
    """The window's end: now (the demo seed dates some rows in the future; they are not the window's)."""
    from openhelp.platform.lib.clock import now

    return now() + dt.timedelta(seconds=5)


@dataclass
class Audit:
    """One audit's figures; ``problems`` lists every check that failed, in words."""

    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def seats(since: dt.datetime) -> dict[str, int]:
    """Slots booked since ``since``: how many, and how many hold more confirmed bookings than seats."""
    from openhelp.help.officehours.models import Booking, BookingState, Slot

    slot_ids = (
        Booking.objects.filter(created_at__gte=since, created_at__lte=_until())
        .values_list("slot_id", flat=True)
        .distinct()
    )
    slots = Slot.objects.filter(pk__in=list(slot_ids)).annotate(
        confirmed=Count("bookings", filter=Q(bookings__state=BookingState.CONFIRMED))
    )
    over = slots.filter(confirmed__gt=F("seats"))
    return {
        "slots booked": slots.count(),
        "bookings": Booking.objects.filter(created_at__gte=since, created_at__lte=_until()).count(),
        "seats filled": sum(slot.confirmed for slot in slots),
        "over-booked slots": over.count(),
    }


def _window_keys(since: dt.datetime) -> dict[str, list[str]]:
    """The notification keys the window's workflows must have produced, by kind of workflow."""
    from openhelp.community.recognition.models import Kudos
    from openhelp.help.officehours.models import Booking
    from openhelp.help.routing.models import Offer, OfferState

    return {
        "booking": [
            f"booking:{pk}:"
            for pk in Booking.objects.filter(created_at__gte=since, created_at__lte=_until()).values_list(
                "pk", flat=True
            )
        ],
        "kudos": [
            f"kudos:{pk}"
            for pk in Kudos.objects.filter(created_at__gte=since, created_at__lte=_until()).values_list(
                "pk", flat=True
            )
        ],
        "offer": [
            f"ask:{ask}:accepted:{mentor}"
            for ask, mentor in Offer.objects.filter(
                state=OfferState.ACCEPTED, responded_at__gte=since, responded_at__lte=_until()
            ).values_list("ask_id", "mentor_id")
        ],
    }


def notifications(since: dt.datetime) -> tuple[dict[str, int], list[str]]:
    """Notifications per workflow of the window: every workflow told its people, none twice."""
    from openhelp.platform.notifications.models import Notification

    figures: dict[str, int] = {}
    problems: list[str] = []
    rows = list(
        Notification.objects.filter(
            created_at__gte=since - dt.timedelta(seconds=5), created_at__lte=_until()
        ).values_list("recipient_id", "event", "dedupe_key")
    )
    per_person = Counter(rows)
    duplicates = sum(1 for count in per_person.values() if count > 1)
    figures["notifications in the window"] = len(rows)
    figures["notified twice (same event, person, key)"] = duplicates
    if duplicates:
        problems.append(f"{duplicates} notifications exist twice")
    keys = {key for _, _, key in rows}
    for kind, wanted in _window_keys(since).items():
        if kind == "booking":
            missing = [key for key in wanted if not any(k.startswith(key) for k in keys)]
        else:
            missing = [key for key in wanted if key not in keys]
        figures[f"{kind} workflows"] = len(wanted)
        figures[f"{kind} workflows without their notification"] = len(missing)
        if missing:
            problems.append(f"{len(missing)} {kind} workflows notified nobody: {missing[:5]}")
    return figures, problems


def emails(since: dt.datetime, sink_records: Iterable[dict[str, Any]]) -> tuple[dict[str, int], list[str]]:
    """E-mails of the window's notifications: each sent, and received by the sink exactly once."""
    from openhelp.platform.notifications.models import Notification

    received = Counter(
        record.get("notification_id") for record in sink_records if record.get("notification_id")
    )
    window = Notification.objects.filter(
        created_at__gte=since - dt.timedelta(seconds=5), created_at__lte=_until()
    ).exclude(email_status=Notification.DeliveryStatus.NOT_WANTED)
    retried = window.filter(email_attempts__gt=1).count()
    wanted = dict(
        Notification.objects.filter(created_at__gte=since - dt.timedelta(seconds=5), created_at__lte=_until())
        .exclude(email_status=Notification.DeliveryStatus.NOT_WANTED)
        .values_list("pk", "email_status")
    )
    unsent = [pk for pk, status in wanted.items() if status != Notification.DeliveryStatus.SENT]
    never = [pk for pk in wanted if received[pk] == 0]
    twice = [pk for pk in wanted if received[pk] > 1]
    figures = {
        "e-mails wanted": len(wanted),
        "e-mails received by the sink": sum(received[pk] for pk in wanted),
        "not marked sent": len(unsent),
        "never received": len(never),
        "received more than once": len(twice),
        "sent after more than one attempt": retried,
    }
    problems = []
    if unsent:
        problems.append(f"{len(unsent)} e-mails not sent: {unsent[:5]}")
    if never:
        problems.append(f"{len(never)} e-mails never reached the sink: {never[:5]}")
    if twice:
        problems.append(f"{len(twice)} e-mails reached the sink more than once: {twice[:5]}")
    return figures, problems


def _snapshot(models: Iterable[Any]) -> dict[str, set[tuple]]:
    out = {}
    for model in models:
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in ("id", "updated_at", "computed_at")
        ]
        out[model.__name__] = set(model.objects.values_list(*names))
    return out


class _RolledBack(Exception):
    pass


def rebuild_matches() -> dict[str, int]:
    """Rows of the outbox consumers' roll-ups that differ from a rebuild from scratch (0 = each event took
    effect exactly once). The rebuild runs in a transaction that is rolled back."""
    from openhelp.organisers.insights import models as insights
    from openhelp.organisers.insights import rollup as insights_rollup
    from openhelp.organisers.network import rollup as network_rollup
    from openhelp.organisers.network.models import HelpLink

    tables = [insights.AskDay, insights.SessionDay, insights.PersonWeek, insights.MomentDay, HelpLink]
    before = _snapshot(tables)
    after: dict[str, set[tuple]] = {}
    try:
        with transaction.atomic():
            insights_rollup.rebuild()
            network_rollup.rebuild_help_links()
            after.update(_snapshot(tables))
            raise _RolledBack
    except _RolledBack:
        pass
    return {name: len(before[name] ^ after[name]) for name in before}


def outbox(since: dt.datetime) -> tuple[dict[str, int], list[str]]:
    """Every consumer passed every event; one event per workflow; effects equal a rebuild."""
    from django.db.models import Max

    from openhelp.community.recognition.models import Kudos
    from openhelp.help.officehours.models import Booking
    from openhelp.platform.outbox.delivery import consumers
    from openhelp.platform.outbox.models import ConsumerCursor, Event

    last = Event.objects.aggregate(last=Max("id"))["last"] or 0
    cursors = dict(ConsumerCursor.objects.values_list("name", "last_event_id"))
    behind = {consumer.name: last - cursors.get(consumer.name, 0) for consumer in consumers()}
    problems = [f"consumer {name} is {gap} events behind" for name, gap in behind.items() if gap > 0]
    events = Event.objects.filter(occurred_at__gte=since - dt.timedelta(seconds=5), occurred_at__lte=_until())
    per_kind = Counter(events.values_list("kind", flat=True))
    bookings = Booking.objects.filter(created_at__gte=since, created_at__lte=_until()).count()
    kudos = Kudos.objects.filter(created_at__gte=since, created_at__lte=_until()).count()
    booking_events = len(
        set(events.filter(kind="booking.confirmed").values_list("payload__booking", flat=True))
        & set(
            Booking.objects.filter(created_at__gte=since, created_at__lte=_until()).values_list(
                "pk", flat=True
            )
        )
    )
    figures: dict[str, int] = {
        "consumers": len(behind),
        "consumers behind": sum(1 for gap in behind.values() if gap > 0),
        "events in the window": sum(per_kind.values()),
        "bookings without their booking.confirmed event": bookings - booking_events,
        "kudos.given events": per_kind["kudos.given"],
        "kudos given": kudos,
    }
    if bookings != booking_events:
        problems.append(f"{bookings - booking_events} bookings recorded no event")
    if per_kind["kudos.given"] != kudos:
        problems.append(f"{per_kind['kudos.given']} kudos.given events for {kudos} kudos")
    differences = rebuild_matches()
    figures["roll-up rows differing from a rebuild"] = sum(differences.values())
    for name, count in differences.items():
        if count:
            problems.append(f"{name}: {count} rows differ from a rebuild")
    return figures, problems


def committed(confirmed: dict[str, list[int]]) -> tuple[dict[str, int], list[str]]:
    """Every write the driver saw answered 2xx is in the database."""
    from openhelp.community.recognition.models import Kudos
    from openhelp.help.asks.models import Ask, AskState
    from openhelp.help.officehours.models import Booking
    from openhelp.help.routing.models import Offer, OfferState

    found = {
        "ask": set(
            Ask.objects.filter(pk__in=confirmed.get("ask", []))
            .exclude(state=AskState.DRAFT)
            .values_list("pk", flat=True)
        ),
        "booking": set(
            Booking.objects.filter(pk__in=confirmed.get("booking", [])).values_list("pk", flat=True)
        ),
        "kudos": set(Kudos.objects.filter(pk__in=confirmed.get("kudos", [])).values_list("pk", flat=True)),
        "offer": set(
            Offer.objects.filter(pk__in=confirmed.get("offer", []), state=OfferState.ACCEPTED).values_list(
                "pk", flat=True
            )
        ),
    }
    figures: dict[str, int] = {}
    problems: list[str] = []
    for kind, ids in confirmed.items():
        lost = set(ids) - found.get(kind, set())
        figures[f"{kind} writes answered 2xx"] = len(ids)
        figures[f"{kind} writes lost"] = len(lost)
        if lost:
            problems.append(f"{len(lost)} {kind} writes answered 2xx are missing: {sorted(lost)[:5]}")
    return figures, problems


def run_all(
    since: dt.datetime, *, sink_records: list[dict[str, Any]], confirmed: dict[str, list[int]]
) -> Audit:
    audit = Audit()
    audit.figures.update(seats(since))
    if audit.figures["over-booked slots"]:
        audit.problems.append(f"{audit.figures['over-booked slots']} slots over-booked")
    for figures, problems in (
        notifications(since),
        emails(since, sink_records),
        outbox(since),
        committed(confirmed),
    ):
        audit.figures.update(figures)
        audit.problems.extend(problems)
    return audit
