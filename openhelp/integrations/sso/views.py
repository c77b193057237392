"""Company login from the login page, and the site administrators' pages that set identity providers up.

Only a site administrator (``User.is_site_admin``): an identity provider vouches for every address in its
domains, and a vouched-for address signs in as the account that has it, a superuser's included. An
organiser who could point one at an IdP of their own could sign in as anyone."""

from __future__ import annotations

import logging
from typing import cast

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.core import ratelimit as allauth_ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.integrations.sso import checks, services
from openhelp.integrations.sso.forms import CompanyLoginForm, ProviderForm
from openhelp.integrations.sso.models import IdentityProvider, Status
from openhelp.integrations.sso.routing import domain_of, provider_for_email
from openhelp.integrations.sso.socialapps import sp_details
from openhelp.platform.accounts.decorators import reauthentication_required, site_admin_required
from openhelp.platform.accounts.models import User
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.forms import add_service_errors
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable

logger = logging.getLogger(__name__)


@login_not_required
@require_http_methods(["GET", "POST"])
def company_login(request: HttpRequest) -> HttpResponse:
    """E-mail in, the company's IdP out: the domain picks the provider."""
    form = CompanyLoginForm(request.POST or None)
    # Each start asks the IdP (OIDC discovery) from this server: counted with the password logins from the
    # same address (allauth's "login" limit), so it cannot be used to make us hammer a company's IdP.
    if request.method == "POST" and not allauth_ratelimit.consume(request, action="login"):
        form.is_valid()
        form.add_error(
            "email", "Too many logins from your network at the moment. Wait a minute and try again."
        )
        context = {"form": form, "next": request.GET.get("next", "")}
        return render(request, "sso/company_login.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        provider = provider_for_email(form.cleaned_data["email"])
        if provider is None or provider.social_app is None:
            form.add_error(
                "email",
                f"No company login is set up for {domain_of(form.cleaned_data['email'])}. "
                "Log in with your e-mail and password instead.",
            )
        elif is_unreadable(provider.client_secret):
            logger.warning(
                "Company login %s refused: its stored client secret %s", provider.slug, UNREADABLE_HINT
            )
            form.add_error(
                "email",
                f"Logging in with {provider.name} cannot work at the moment: its stored client secret can no "
                "longer be read, and a site administrator must enter it again. Log in with your e-mail and "
                "password meanwhile.",
            )
        else:
            try:
                return _continue_to(request, provider)
            except requests.RequestException as error:  # the discovery document (OIDC) could not be read
                reason = f"The discovery document could not be read: {safe_http.describe(error)}"
                services.record_login_failure(provider=provider, reason=reason)
                logger.warning("Company login %s: %s", provider.slug, reason)
                form.add_error(
                    "email",
                    f"{provider.name} does not answer at the moment, so company login cannot start. Try again "
                    "later, or log in with your e-mail and password.",
                )
    return render(request, "sso/company_login.html", {"form": form, "next": request.GET.get("next", "")})


def _continue_to(request: HttpRequest, provider: IdentityProvider) -> HttpResponse:
    """allauth's redirect to the IdP, handed to the browser as a page that moves on by itself.

    A 302 answering a form post would be checked against our Content-Security-Policy's ``form-action
    'self'`` and blocked (the IdP is another origin); a navigation by link or refresh is not restricted.
    """
    assert provider.social_app is not None  # every saved provider has one (socialapps.sync_social_app)
    redirect_to_idp = provider.social_app.get_provider(request).redirect_from_request(request)
    response = render(
        request, "sso/continue.html", {"provider": provider, "url": redirect_to_idp["Location"]}
    )
    for cookie in redirect_to_idp.cookies.values():
        response.cookies[cookie.key] = cookie
    response["Cache-Control"] = "no-store"
    return response


@site_admin_required
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = list(IdentityProvider.objects.prefetch_related("domains").select_related("confirmed_by"))
    unconfirmed = [p for p in providers if p.status == Status.ACTIVE and p.needs_confirmation]
    return render(request, "sso/provider_list.html", {"providers": providers, "unconfirmed": unconfirmed})


@site_admin_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None, initial={"kind": request.GET.get("kind", "oidc")})
    if request.method == "POST" and form.is_valid():
        provider = form.save(commit=False)
        form.apply_mapping()
        try:
            services.save_provider(
                provider=provider, domains=form.domain_list(), saved_by=cast(User, request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Saved. Give the details below to your identity provider's administrator."
            )
            return redirect("sso:provider-detail", pk=provider.pk)
    return render(request, "sso/provider_form.html", {"form": form, "provider": None})


@site_admin_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=pk)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        provider = form.save(commit=False)
        form.apply_mapping()
        try:
            services.save_provider(
                provider=provider, domains=form.domain_list(), saved_by=cast(User, request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("sso:provider-detail", pk=provider.pk)
    context = {"form": form, "provider": provider, "sp": sp_details(provider)}
    return render(request, "sso/provider_form.html", context)


@site_admin_required
@require_POST
def provider_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Try the configuration without logging anyone in: discovery and keys (OIDC), metadata (SAML)."""
    provider = get_object_or_404(IdentityProvider, pk=pk)
    results = checks.check_configuration(provider)
    return render(
        request,
        "sso/provider_check.html",
        {"provider": provider, "results": results, "sp": sp_details(provider)},
    )
