import datetime as dt

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "openhelp.platform.outbox"
    label = "outbox"
    verbose_name = "Domain events (the outbox)"

    def ready(self) -> None:
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.outbox.tasks import deliver_events_task, prune_events_task

        # The on-commit nudge delivers within seconds; this catches a lost nudge and events that waited
        # for a hole in the ids to settle (see outbox.delivery).
        register_periodic(name="outbox.deliver", every=dt.timedelta(minutes=1), task=deliver_events_task)
        register_periodic(name="outbox.prune", every=dt.timedelta(hours=24), task=prune_events_task)
