"""What the ask's own workflows need from the apps above asks — declared here, wired in config.

Routing (offers) and sessions (mentoring) sit above asks: they read asks and change their state through
``openhelp.help.asks.lifecycle``. The ask's own workflows — publish, cancel, re-route after a decline, agree a time,
solve — must in turn hand the ask to routing and keep its session in step, and its pages show how many
experts it is offered to. Rather than import upwards (a cycle), asks declares here, as two protocols,
exactly what it calls, and ``config/settings.py`` names the modules that provide it:

- ``settings.ASK_ROUTING`` → ``openhelp.help.routing.for_asks`` (``Routing``);
- ``settings.ASK_SESSIONS`` → ``openhelp.help.mentoring.for_asks`` (``Sessions``).

The calls stay explicit (each workflow calls ``routing().route_ask(...)`` where it happens, in its
transaction), and ``tests/asks/test_ports.py`` checks that both modules provide every function with the
declared parameters. Settings are read when called, so a test can wire in its own implementation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.conf import settings

if TYPE_CHECKING:
    import datetime as dt

    from django.db.models import Model, QuerySet

    from openhelp.help.asks.models import Ask


class Routing(Protocol):
    """Offers: routing owns them; asks only hands the ask over and counts."""

    def route_ask(self, *, ask: Ask, actor: Any = None) -> int:
        """Offer the ask to the best experts; how many were offered."""

    def route_ask_later(self, *, ask: Ask, actor: Any = None) -> None:
        """The same, by the worker, once the caller's transaction commits."""

    def offer_directly(self, *, ask: Ask, mentor: Any, actor: Any = None) -> Any:
        """Offer a directed ask to the one person the mentee chose."""

    def withdraw_offers(self, *, ask: Ask) -> int:
        """Withdraw every pending offer of the ask (it was cancelled) and tell those experts."""

    def declined_offer(self, *, ask: Ask) -> Model | None:
        """The latest declined or expired offer of the ask, or None."""

    def pending_offer_count(self, *, ask: Ask) -> int:
        """To how many experts the ask is offered right now (a count, never who)."""

    def with_pending_offer_counts(self, asks: QuerySet[Ask]) -> QuerySet[Ask]:
        """The asks annotated with ``offered_count``, in the same query."""

    def first_answer_due(self, *, ask: Ask) -> dt.datetime | None:
        """When the first of the ask's pending offers runs out (the experts answer by then), or None."""

    def count_candidates(self, *, skill_ids: list[int], language_ids: list[int], mentee: Any) -> int:
        """How many experts could take an ask on these skills this week (the live preview)."""


class Sessions(Protocol):
    """Sessions follow their ask: agreed time, completion, cancellation."""

    def follow_ask_after_commit(self, *, ask_id: int) -> None:
        """Bring the ask's session in step once the caller's transaction commits."""

    def release_ask(self, *, ask_id: int) -> None:
        """The ask's helper left: cancel its planned session and free the ask for a new helper's session."""


def routing() -> Routing:
    return cast(Routing, importlib.import_module(settings.ASK_ROUTING))


def sessions() -> Sessions:
    return cast(Sessions, importlib.import_module(settings.ASK_SESSIONS))
