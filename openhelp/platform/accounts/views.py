"""Settings pages: the hub, personal access tokens, deleting an account."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.platform.accounts import services
from openhelp.platform.accounts.forms import AccessTokenForm, DeleteAccountForm, is_confirmed

JUST_CREATED_SLOT = "accounts:new-token"


@login_required
def settings_hub(request):
    user = request.user
    context = {
        "email": EmailAddress.objects.filter(user=user, primary=True).first(),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "token_count": services.active_tokens(user=user).count(),
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = AccessTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and is_confirmed(request, form):
        try:
            token, raw_key = services.create_access_token(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Post/redirect/get: the key travels once through the session and is gone after one view,
            # so reloading the page neither shows it again nor creates a second token.
            request.session[JUST_CREATED_SLOT] = {"id": token.pk, "key": raw_key}
            return redirect("accounts:tokens")
    new_token = request.session.pop(JUST_CREATED_SLOT, None) if request.method == "GET" else None
    context = {"form": form, "tokens": services.active_tokens(user=request.user), "new_token": new_token}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = services.revoke_access_token(user=request.user, token_id=token_id)
    messages.success(request, f"Token “{token.name}” is revoked; anything using it is now refused.")
    return redirect("accounts:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and is_confirmed(request, form):
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything in it are deleted. Goodbye!")
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})
