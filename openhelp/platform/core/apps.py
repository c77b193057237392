from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openhelp.platform.core"
    label = "core"
    verbose_name = "Platform core"
