from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "openhelp.directory.library"
    label = "library"
    verbose_name = "Takeaways library"
