from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "asks"
    verbose_name = "Asks (focused requests for help)"
