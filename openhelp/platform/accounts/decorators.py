"""Who may open a page, beyond being signed in."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


def site_admin_required(view):
    """Login first; anyone who is not a site administrator (``User.is_site_admin``) sees 404, so the pages
    that decide who signs in as whom (company login, SCIM tokens) do not advertise themselves."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not getattr(request.user, "is_site_admin", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
