"""Who may open a page, beyond being signed in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


def role_required(role: str) -> Callable:
    """A decorator: login first; then anyone whose user lacks ``role`` (a true attribute such as
    ``is_organiser``) sees 404, so the pages do not advertise themselves."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not getattr(request.user, role, False):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


organiser_required = role_required("is_organiser")
# The pages that decide who signs in as whom (company login, SCIM tokens): ``User.is_site_admin``.
site_admin_required = role_required("is_site_admin")
