"""The Django admin behind the one login.

Django's admin ships its own password form, which knows nothing of allauth's two-factor stage or its
brute-force throttle. There is one login (allauth's): the admin's login page only sends people there, and
an admin page also wants proof of the second factor in this session, however the session was obtained.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def passed_two_factor(request: HttpRequest) -> bool:
    """True when the signed-in person has no second factor, or proved it in this session."""
    user = request.user
    if not is_mfa_enabled(user):
        return True
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and passed_two_factor(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            # GET and POST alike: a password posted here is never checked here.
            return redirect_to_login(next_url, reverse("account_login"))
        if self.has_permission(request):
            return redirect(next_url)
        if user.is_active and user.is_staff:
            # Signed in without the second factor (e.g. a session from before it was switched on).
            return redirect_to_login(next_url, reverse("mfa_reauthenticate"))
        # Signed in, but not a site admin: sending them to log in again would only loop.
        raise PermissionDenied

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # One way to change one's password too: allauth's (its notices, and access tokens revoked).
        return redirect("account_change_password")
