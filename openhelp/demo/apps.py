from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "openhelp.demo"
    label = "demo"
