import datetime as dt

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "openhelp.organisers.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from openhelp.organisers.insights import consumer
        from openhelp.organisers.insights.tasks import refresh_insights_task
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.outbox.delivery import register_consumer

        # The roll-ups follow the domain events in the outbox (insights.consumer).
        register_consumer(name=consumer.NAME, handle=consumer.handle, kinds=consumer.KINDS_READ)
        # Genuinely periodic: a new week moves the standard periods whose load distribution is kept.
        register_periodic(
            name="insights.refresh_dirty", every=dt.timedelta(hours=1), task=refresh_insights_task
        )
