from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openhelp.platform.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from openhelp.platform.core import checks  # noqa: F401 - registers the deploy checks
