from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openhelp.platform.api"
    label = "api"
