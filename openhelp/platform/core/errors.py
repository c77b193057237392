"""The answer to a request that failed on the server (``config.urls.handler500``), or that named no page
(``handler404``).

While the database cannot be reached (a restart, a failover, a saturated pool) the request is answered
``503 Service Unavailable`` with ``Retry-After``, which browsers show as "back in a moment" and which
balancers and API clients retry; any other failure stays a 500. The API (and SCIM) get the API's one error
shape; pages get a standalone page that needs neither the database nor the request context.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 5
JSON_PREFIXES = ("/api/", "/scim/")


def database_unreachable(exc: BaseException | None) -> bool:
    """A connection-level database failure: the server is down, restarting or refusing connections."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called by Django inside its ``except`` block, so the exception is in ``sys.exc_info``."""
    unavailable = database_unreachable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    response: HttpResponse
    if request.path.startswith(JSON_PREFIXES):
        code, message = (
            ("unavailable", "The service cannot reach its database for a moment; retry shortly.")
            if unavailable
            else ("server_error", "The server could not finish this request.")
        )
        response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    else:
        html = render_to_string("errors/5xx.html", {"unavailable": unavailable})
        response = HttpResponse(html, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    """handler404: a path that names no page. Under /api/ a client reads the API's one error shape (not an
    HTML page), with a hint when the path only lacks its final slash (a POST cannot be redirected)."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    message = f"There is no API operation at {request.path} (see /api/schema/)."
    if not request.path.endswith("/"):
        message = (
            f"There is no API operation at {request.path}: API paths end with a slash (see /api/schema/)."
        )
    return JsonResponse({"error": {"code": "not_found", "message": message}}, status=404)
