"""allauth's social-account adapter for company logins: who may log in, who gets an account, what is linked.

The rules (docs/integrations/sso.md, "Accounts"):
- The key is the IdP's stable subject (OIDC ``sub``, SAML persistent NameID) — allauth's SocialAccount uid
  — never the e-mail: a renamed person keeps their account.
- A first login whose e-mail already has an account is linked to it only when the e-mail is in one of the
  provider's domains and the IdP vouches for it (OIDC ``email_verified: true``; for SAML a signed assertion
  of an address in the IdP's own domain). Otherwise it is refused, never merged.
- A first login without an account creates one only when the provider allows just-in-time accounts and
  the e-mail is in its domains.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.utils import user_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthError
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render

from openhelp.integrations.sso import claims as claim_rules
from openhelp.integrations.sso import services
from openhelp.integrations.sso.models import IdentityProvider, Kind, Status
from openhelp.integrations.sso.routing import domain_of
from openhelp.platform.lib import safe_http


def identity_provider_of(app) -> IdentityProvider | None:
    if app is None or app.pk is None:
        return None
    return IdentityProvider.objects.filter(social_app=app).prefetch_related("domains").first()


def refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(render(request, "sso/refused.html", {"message": message}, status=403))


def vouched_for(provider: IdentityProvider, claims: dict, email: str) -> bool:
    """The IdP speaks for this address: it is in the provider's domains and the IdP says it is verified."""
    if domain_of(email) not in provider.domain_names:
        return False
    return provider.kind == Kind.SAML or claim_rules.email_verified(claims)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self) -> safe_http.CheckedSession:
        """allauth's own calls to the IdP (discovery, token, signing keys, user info) go through the same
        address checks as every URL typed in here: an IdP on a private network must be listed in
        OUTBOUND_ALLOWED_HOSTS, as for SAML metadata and the set-up check. Otherwise anyone posting the
        company login form made this server call whatever the discovery URL, or the discovery document,
        named (the loopback interface, the cloud metadata service)."""
        return safe_http.CheckedSession(timeout=(3.0, 10.0))

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list:
        """allauth's apps, each OIDC client secret filled in from its provider's encrypted column (the
        SocialApp row never holds it)."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        owners = {
            idp.social_app_id: idp
            for idp in IdentityProvider.objects.filter(social_app__in=[app.pk for app in apps if app.pk])
        }
        for app in apps:
            if app.pk in owners:
                app.secret = owners[app.pk].client_secret
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = identity_provider_of(sociallogin.provider.app)
        if provider is None:
            raise refuse(request, "This login is not set up here.")
        if provider.status != Status.ACTIVE:
            raise refuse(request, f"Logging in with {provider.name} is switched off. Ask an organiser.")
        claims = claim_rules.claims_of(sociallogin)
        email = (user_email(sociallogin.user) or claims.get("email") or "").strip().lower()
        vouched = bool(email) and vouched_for(provider, claims, email)
        for address in sociallogin.email_addresses:
            address.verified = vouched and address.email.lower() == email
        if not sociallogin.is_existing:
            existing = get_user_model().objects.filter(email__iexact=email).first() if email else None
            if existing is not None:
                if not vouched:
                    raise refuse(
                        request,
                        "An account with this e-mail address already exists, and your company login does not "
                        "confirm the address. Log in with your password, or ask an organiser.",
                    )
                sociallogin.connect(request, existing)
                EmailAddress.objects.filter(user=existing, email__iexact=email).update(verified=True)
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise refuse(request, "This account is deactivated.")
            claim_rules.apply_claims(user=sociallogin.user, provider=provider, claims=claims)
        services.record_login_success(provider=provider)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        provider = identity_provider_of(sociallogin.provider.app)
        email = user_email(sociallogin.user) or ""
        if provider is None or not provider.jit_allowed:
            raise refuse(
                request,
                "You have no account here yet, and company logins do not create one. Ask an organiser.",
            )
        if not email or domain_of(email) not in provider.domain_names:
            raise refuse(request, f"{provider.name} logins create accounts only for its own e-mail domains.")
        return True

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        user = super().save_user(request, sociallogin, form)
        provider = identity_provider_of(sociallogin.provider.app)
        claims = claim_rules.claims_of(sociallogin)
        claim_rules.start_profile(user=user, claims=claims)
        if provider is not None:
            claim_rules.apply_claims(user=user, provider=provider, claims=claims)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        identity_provider = identity_provider_of(getattr(provider, "app", None))
        # Someone who cancels at their IdP is no sign of trouble with it.
        if identity_provider is not None and error != AuthError.CANCELLED:
            reason = (extra_context or {}).get("saml_last_error_reason") or str(
                exception or error or "unknown"
            )
            services.record_login_failure(provider=identity_provider, reason=reason)
        super().on_authentication_error(request, provider, error, exception, extra_context)
