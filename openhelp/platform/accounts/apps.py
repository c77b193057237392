from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "openhelp.platform.accounts"
    label = "accounts"
    default = True  # this module holds two configs; "accounts" in INSTALLED_APPS means this one

    def ready(self) -> None:
        from openhelp.platform.accounts import receivers  # noqa: F401 - connects the receivers


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, logged into only through allauth (two-factor stage and throttle included)."""

    default = False
    default_site = "openhelp.platform.accounts.admin_site.AdminSite"
