from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "openhelp.organisers.imports"
    label = "imports"
    verbose_name = "People in and out (CSV)"
