"""Who may open a page, beyond being signed in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.account.internal.flows.reauthentication import (
    did_recently_reauthenticate,
    get_reauthentication_flows,
)
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from openhelp.platform.accounts.forms import SIGN_IN_AGAIN, signed_in_recently


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


def reauthenticated_recently(request: HttpRequest) -> bool:
    """The person proved who they are in the last five minutes: allauth's reauthentication (their password,
    or their second factor), or, for an account that signs in only through the company login and so has
    neither, a sign-in that recent."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not get_reauthentication_flows(user):
        return signed_in_recently(request)
    return did_recently_reauthenticate(request)


def reauthentication_required(view: Callable) -> Callable:
    """A decorator for the pages that decide who signs in as whom: any change (not a GET) needs a recent
    reauthentication (``reauthenticated_recently``). Otherwise allauth asks for the password and then
    replays the form that was sent, so nothing typed is lost; without a password, the page says to sign in
    again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" and not reauthenticated_recently(request):
            if get_reauthentication_flows(request.user):
                raise ReauthenticationRequired
            messages.error(request, SIGN_IN_AGAIN)
            return redirect(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
