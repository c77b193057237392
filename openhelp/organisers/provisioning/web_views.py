"""The provisioning page of site administrators (``User.is_site_admin``): the SCIM base URL to paste into
the identity provider, and its tokens (create one with the administrator's password, shown once; revoke
one). Everyone else, organisers included, gets 404: a SCIM token can change any account's e-mail address."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.organisers.provisioning import tokens
from openhelp.organisers.provisioning.forms import ScimTokenForm
from openhelp.organisers.provisioning.scim import base_url
from openhelp.platform.accounts.decorators import reauthentication_required, site_admin_required
from openhelp.platform.accounts.forms import is_confirmed
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.forms import add_service_errors

JUST_CREATED_SLOT = "provisioning:new-token"


@site_admin_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    admin = cast(User, request.user)  # site_admin_required: signed in
    form = ScimTokenForm(request.POST or None, user=admin)
    if request.method == "POST" and is_confirmed(request, form):
        try:
            token, secret = tokens.create_token(name=form.cleaned_data["name"], created_by=admin)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Post/redirect/get: the secret travels once through the session, so a reload neither shows
            # it again nor makes a second token.
            request.session[JUST_CREATED_SLOT] = {"id": token.pk, "name": token.name, "secret": secret}
            return redirect("provisioning-web:tokens")
    new_token = request.session.pop(JUST_CREATED_SLOT, None) if request.method == "GET" else None
    context = {
        "form": form,
        "tokens": tokens.active_tokens(),
        "new_token": new_token,
        "scim_base_url": base_url(request),
    }
    return render(request, "provisioning/tokens.html", context, status=400 if form.errors else 200)


@site_admin_required
@reauthentication_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.revoke_token(token_id=token_id)
    messages.success(request, f"Token “{token.name}” is revoked; the identity provider can no longer use it.")
    return redirect("provisioning-web:tokens")
