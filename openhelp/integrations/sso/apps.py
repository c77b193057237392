from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "openhelp.integrations.sso"
    label = "sso"
    verbose_name = "Single sign-on"
