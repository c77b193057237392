"""The time-based steps of routing, run by the background worker at a given moment.

Each task takes an id, re-reads the row under the ask's lock and does nothing when the step no longer
applies (the offer was answered, the ask moved on, the step already happened), so running one twice,
late, or after the ask changed is harmless. A task that finds itself early (the deadline moved) schedules
itself again for the right moment.
"""

from __future__ import annotations

import datetime as dt
import logging

from openhelp.platform.lib.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)


@background_task(priority=10)  # ahead of reminders and e-mails: someone just published and waits
def route_ask_task(ask_id: int, actor_id: int | None = None) -> str:
    from openhelp.help.routing.services import route_published_ask  # here: services imports this module

    return route_published_ask(ask_id=ask_id, actor_id=actor_id)


@background_task()
def route_forgotten_asks_task() -> str:
    from openhelp.help.routing.services import route_forgotten_asks  # here: services imports this module

    return f"routed {route_forgotten_asks()}"


@background_task()
def expire_offer_task(offer_id: int) -> str:
    from openhelp.help.routing.services import expire_offer  # here: services imports this module

    return expire_offer(offer_id=offer_id)


@background_task()
def remind_offer_task(offer_id: int) -> str:
    from openhelp.help.routing.services import remind_offer  # here: services imports this module

    return remind_offer(offer_id=offer_id)


@background_task()
def check_escalation_task(ask_id: int) -> str:
    from openhelp.help.routing.services import check_escalation  # here: services imports this module

    return check_escalation(ask_id=ask_id)


@background_task()
def expire_ask_task(ask_id: int) -> str:
    from openhelp.help.routing.services import expire_ask  # here: services imports this module

    return expire_ask(ask_id=ask_id)


def schedule(task_obj, object_id: int, *, at: dt.datetime) -> None:
    """Run ``task_obj(object_id)`` at ``at`` once the current transaction commits.

    A backend that cannot defer (the immediate backend some development set-ups use) cannot hold a step
    for later; we log it rather than run it now, which would expire an offer the moment it is made.
    """
    if not task_obj.get_backend().supports_defer:
        logger.warning("Task backend cannot schedule %s for %s; skipped", task_obj.name, at.isoformat())
        return
    enqueue_on_commit(task_obj, object_id, run_after=at)
