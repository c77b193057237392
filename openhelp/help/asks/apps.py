from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "openhelp.help.asks"
    label = "asks"
    verbose_name = "Asks (focused requests for help)"
