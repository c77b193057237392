import datetime as dt

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "openhelp.integrations.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from openhelp.integrations.sso import deploy_checks, oidc  # noqa: F401 - deploy_checks registers
        from openhelp.integrations.sso.tasks import check_identity_providers
        from openhelp.platform.core.periodic import register_periodic

        oidc.always_verify_id_token_signature()
        # Certificates near expiry and metadata refreshed from the IdP's URL, once a day.
        register_periodic(name="sso.health", every=dt.timedelta(hours=24), task=check_identity_providers)
