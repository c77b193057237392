import datetime as dt

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "openhelp.integrations.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from openhelp.integrations.webhooks import consumer
        from openhelp.integrations.webhooks.tasks import send_due_task
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.outbox.delivery import register_consumer

        # Every domain event becomes a delivery for each endpoint that subscribed to its kind.
        register_consumer(name=consumer.NAME, handle=consumer.handle, kinds=consumer.KINDS_READ)
        # Retries queue their own task; this catches a lost one and what waited while the worker was down.
        register_periodic(name="webhooks.send_due", every=dt.timedelta(minutes=1), task=send_due_task)
