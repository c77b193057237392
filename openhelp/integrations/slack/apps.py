import datetime as dt

from django.apps import AppConfig


class SlackConfig(AppConfig):
    name = "openhelp.integrations.slack"
    label = "slack"
    verbose_name = "Slack"

    def ready(self) -> None:
        from openhelp.integrations.slack import consumer, tasks
        from openhelp.integrations.slack.transport import transport
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.notifications import chat
        from openhelp.platform.outbox.delivery import register_consumer

        chat.register_chat_transport(transport)
        register_consumer(name="slack", handle=consumer.handle, kinds=consumer.KINDS)
        register_periodic(name="slack.join_links", every=dt.timedelta(minutes=2), task=tasks.join_links_task)
        register_periodic(name="slack.status", every=dt.timedelta(minutes=30), task=tasks.status_sync_task)
        register_periodic(name="slack.digest", every=dt.timedelta(days=7), task=tasks.weekly_digest_task)
        register_periodic(name="slack.prune", every=dt.timedelta(hours=24), task=tasks.prune_task)
