import datetime as dt

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "openhelp.platform.notifications"
    label = "notifications"

    def ready(self) -> None:
        # The core events live in notifications.events; each app may add its own in notification_events.py.
        from openhelp.platform.notifications import events  # noqa: F401

        autodiscover_modules("notification_events")

        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.notifications.tasks import reap_stuck_emails, stuck_after

        register_periodic(
            name="notifications.reap_stuck_emails",
            every=min(dt.timedelta(minutes=5), stuck_after()),
            task=reap_stuck_emails,
        )
