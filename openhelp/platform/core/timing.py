"""``Server-Timing: app;dur=<ms>`` on every response: how long the app took, from the first middleware in
to the response out (the database included; the network, the balancer and gunicorn's queue not).

Load tests (bench/load) read it to tell the server's time from the time a request waited; browsers show it
in their developer tools. It says no more than a client can already measure from outside.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
