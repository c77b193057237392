from django.apps import AppConfig


class TodayConfig(AppConfig):
    """The signed-in person's home ("Today") and the one search from the header, across every app."""

    name = "openhelp.today"
    label = "today"
    verbose_name = "Today (personal home and search)"
