from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "openhelp.directory.calendars"
    label = "calendars"
    verbose_name = "Connected calendars"
