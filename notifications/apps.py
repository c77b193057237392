from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # The core events live in notifications.events; each app may add its own in notification_events.py.
        from notifications import events  # noqa: F401

        autodiscover_modules("notification_events")

        import datetime as dt

        from core.periodic import register_periodic
        from notifications.tasks import reap_stuck_emails

        register_periodic(
            name="notifications.reap_stuck_emails", every=dt.timedelta(minutes=5), task=reap_stuck_emails
        )
