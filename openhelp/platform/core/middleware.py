from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware import common
from django.template.loader import render_to_string
from django.utils import timezone

from openhelp.platform.core.errors import JSON_PREFIXES, page_not_found
from openhelp.platform.core.views import healthz
from openhelp.platform.lib.storable_text import first_unstorable, unstorable_reason

CSP_NONCE = "<CSP_NONCE_SENTINEL>"  # the placeholder Django 6.0's django.utils.csp.CSP.NONCE uses
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"  # SCIM's error body (provisioning.scim)


class HealthCheckMiddleware:
    """``/healthz`` answers whatever the Host header and scheme: a load balancer or an orchestrator probes
    each app server by its own address (``Host: 10.0.3.7:8000``) over plain http, which ALLOWED_HOSTS would
    answer with 400 and SECURE_SSL_REDIRECT with a 301 to https — a healthy server marked down. The answer
    holds no link and reads no host, so nothing the Host check protects is at stake. First in MIDDLEWARE."""

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.PATH and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return self.get_response(request)


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that an API write to a path without its final slash is not redirected: a client
    follows a 301 with a GET, so a POST would quietly read a list instead of creating anything (and with
    DEBUG on, Django raises). It gets the JSON 404 that says paths end with a slash (core.errors)."""

    def should_redirect_with_slash(self, request) -> bool:
        if request.path_info.startswith("/api/") and request.method not in {"GET", "HEAD"}:
            return False
        return super().should_redirect_with_slash(request)

    def process_response(self, request, response):
        """With DEBUG on (``make run``) Django answers a path that names nothing with its HTML debug page
        and never calls ``handler404``; an API client gets the API's JSON 404 there too."""
        response = super().process_response(request, response)
        if (
            settings.DEBUG
            and response.status_code == 404
            and request.path_info.startswith("/api/")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response


def activate_timezone_of(user) -> None:
    """Times from here on in ``user``'s own zone (their profile's); UTC for anonymous visitors. The
    middleware calls it for a browser session; the API's token authentication again once it knows who is
    calling (after this middleware saw an anonymous request), so both read the same times."""
    tz_name = None
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        tz_name = profile.timezone if profile is not None else None
    try:
        timezone.activate(ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
    except (ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class UserTimezoneMiddleware:
    """Show every time in the viewer's own zone (their profile's), UTC for anonymous visitors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_timezone_of(getattr(request, "user", None))
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


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person (a session or a token), and
    on any answer that sets a cookie, unless the view chose its own caching.

    Without it, private pages and API answers (session notes, a new token shown once, someone's calendar)
    carried no caching rule at all: a shared cache (a proxy, a CDN) could keep one, and the browser kept
    them on disk, to be shown again by Back after logging out on a shared computer. Static files keep
    whitenoise's long caching, and the anonymous calendar feed its own (found in the security review).
    """

    VALUE = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "Authorization" in request.headers or response.cookies:
            response["Cache-Control"] = self.VALUE
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


class RequestSizeLimitMiddleware:
    """A body larger than ``REQUEST_BODY_MAX_BYTES`` answers 413 before anything reads it.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it streams to a
    temporary file; reading ``request.POST`` (``RefuseUnstorableTextMiddleware`` does, for every web form,
    before the CSRF check) wrote a file of any size to the server's disk, anonymously. The ceiling is the
    largest body the site takes (the people import, a CSV inside JSON) with room; a proxy in front may set a
    smaller one. Without a Content-Length (a chunked body) Django reads no body at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return self.get_response(request)
        reason = f"The request is too large: at most {limit / (1024 * 1024):g} MB are accepted."
        if request.path.startswith("/scim/"):
            body = {"schemas": [SCIM_ERROR], "status": "413", "detail": reason}
            return JsonResponse(body, status=413, content_type="application/scim+json")
        if request.path.startswith(JSON_PREFIXES):
            return JsonResponse({"error": {"code": "too_large", "message": reason}}, status=413)
        page = render_to_string("errors/413.html", {"reason": reason})
        return HttpResponse(page, status=413)


class RefuseUnstorableTextMiddleware:
    """A NUL or a lone surrogate in the address (path or query string), or in a web form's fields, answers
    400 at the door.

    Many views read a parameter as it comes (``?q=``, ``?skill=``, ``?before=``, a token in the path) and
    hand it to a query; on PostgreSQL a U+0000 there was a 500 (``lib.storable_text``). Refusing it here,
    once, covers every page, download and API operation, including the ones written tomorrow. The API gets its one error shape with
    the parameter named, SCIM its own error body, pages a short page that says what was wrong. API bodies
    are left to the API's parsers, which answer the same as a field error (and read the body themselves).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = first_unstorable({"path": [request.path_info]}) or first_unstorable(request.GET)
        if found is None and request.method == "POST" and not request.path.startswith(JSON_PREFIXES):
            found = first_unstorable(request.POST)
        if found is None:
            return self.get_response(request)
        field, reason = found
        if request.path.startswith("/scim/"):
            body = {"schemas": [SCIM_ERROR], "status": "400", "scimType": "invalidValue", "detail": reason}
            return JsonResponse(body, status=400, content_type="application/scim+json")
        if request.path.startswith(JSON_PREFIXES):
            fields = {field if unstorable_reason(field) is None else "non_field_errors": [reason]}
            body = {"error": {"code": "invalid", "message": "Some fields are not valid.", "fields": fields}}
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(render_to_string("errors/400.html", {"reason": reason}))
