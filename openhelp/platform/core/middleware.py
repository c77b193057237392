from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.middleware import common
from django.utils import timezone

CSP_NONCE = "<CSP_NONCE_SENTINEL>"  # the placeholder Django 6.0's django.utils.csp.CSP.NONCE uses


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that an API write to a path without its final slash is not redirected: a client
    follows a 301 with a GET, so a POST would quietly read a list instead of creating anything (and with
    DEBUG on, Django raises). It gets the JSON 404 that says paths end with a slash (core.errors)."""

    def should_redirect_with_slash(self, request) -> bool:
        if request.path_info.startswith("/api/") and request.method not in {"GET", "HEAD"}:
            return False
        return super().should_redirect_with_slash(request)


class UserTimezoneMiddleware:
    """Show every time in the viewer's own zone (their profile's), UTC for anonymous visitors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            tz_name = profile.timezone if profile is not None else None
        try:
            timezone.activate(ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every HTML response.

    Each request gets a fresh nonce, ``request.csp_nonce``; a template that truly needs an inline
    ``<script>`` or ``<style>`` writes ``nonce="{{ request.csp_nonce }}"`` on it (only the API docs page
    and the admin's change list do). The policies are ``SECURE_CSP`` and ``PERMISSIONS_POLICY`` in
    settings. ``SECURE_CSP`` has the shape of Django 6.0's setting of the same name (directive → sources,
    the nonce written as ``CSP_NONCE``), so moving to Django's own middleware later is a swap of this class.

    A response that already carries a header keeps it (a view may tighten its own policy). Django's
    debug pages (DEBUG only) have inline scripts and styles without a nonce, so they are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(settings.SECURE_CSP, nonce=nonce)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response


def content_security_policy(directives: dict[str, list[str]], *, nonce: str) -> str:
    """``{"script-src": ["'self'", CSP_NONCE]}`` → ``"script-src 'self' 'nonce-…'"``."""
    parts = []
    for directive, sources in directives.items():
        values = [f"'nonce-{nonce}'" if source == CSP_NONCE else source for source in sources]
        parts.append(" ".join([directive, *values]))
    return "; ".join(parts)


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``"camera=(), fullscreen=(self)"``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())
