import datetime as dt

from django.apps import AppConfig
from django.conf import settings


class CalendarsConfig(AppConfig):
    name = "openhelp.directory.calendars"
    label = "calendars"
    verbose_name = "Connected calendars"

    def ready(self) -> None:
        from openhelp.directory.calendars import writeback
        from openhelp.directory.calendars.tasks import sync_all_task
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.outbox.delivery import register_consumer

        # Confirmed, moved and cancelled bookings are written into the people's calendars.
        register_consumer(name=writeback.NAME, handle=writeback.handle, kinds=writeback.KINDS_READ)
        # Busy times are read every few minutes (CALENDAR_SYNC_MINUTES), incrementally where possible.
        register_periodic(
            name="calendars.sync", every=dt.timedelta(minutes=sync_minutes()), task=sync_all_task
        )


def sync_minutes() -> int:
    return int(getattr(settings, "CALENDAR_SYNC_MINUTES", 10))
