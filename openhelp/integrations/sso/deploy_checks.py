"""``manage.py check --deploy``: identity providers no current site administrator has confirmed.

Until case 41 (docs/security.md) organisers could set company login up; a provider one of them pointed at
an IdP of their own still signs in anyone in its domains. Such providers (and those last saved by someone
who is no longer a site administrator) are named here until a site administrator saves each one.
"""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError

from openhelp.integrations.sso import services


@register(deploy=True)
def check_unconfirmed_providers(app_configs=None, **kwargs):
    try:
        providers = services.unconfirmed_providers()
    except DatabaseError:
        return []  # no database or not migrated yet: the core checks say so (openhelp.E001)
    if not providers:
        return []
    names = ", ".join(f"{provider.name} ({provider.slug})" for provider in providers)
    return [
        Warning(
            f"Identity providers that no site administrator has confirmed still sign people in: {names}.",
            hint="An organiser may have set them up before company login became site administrators' only. "
            "A site administrator opens each on /sso/providers/, checks its discovery URL or metadata and its "
            "e-mail domains, and saves it (or switches it off).",
            id="openhelp.W003",
        )
    ]
