from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "openhelp.community.library"
    label = "library"
    verbose_name = "Takeaways library"
