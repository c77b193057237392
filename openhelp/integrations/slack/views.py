"""Slack pages on the web: a person's Slack settings (link, unlink, status and digest), confirming a
link, and the organisers' page to install the app and run its kill switch and caps.

Someone else's Slack account or link request answers 404; the organiser pages answer 404 to others.
"""

from __future__ import annotations

import secrets
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from slack_sdk.errors import SlackApiError

from openhelp.integrations.slack import services, status
from openhelp.integrations.slack.client import RateLimited, WorkspaceInactive
from openhelp.integrations.slack.forms import PreferencesForm, WorkspaceForm
from openhelp.integrations.slack.models import LinkRequest, SlackAccount, Workspace
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.forms import add_service_errors

STATE_KEY = "slack_oauth_state"


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is behind login_required


def _require_organiser(request: HttpRequest) -> None:
    if not _me(request).is_organiser:
        raise Http404


def _authorize_redirect(request: HttpRequest, *, purpose: str, **scopes: str) -> HttpResponse:
    if not services.is_configured():
        raise Http404
    state = f"{purpose}:{secrets.token_urlsafe(16)}"
    request.session[STATE_KEY] = state
    query = urlencode(
        {
            "client_id": settings.SLACK_CLIENT_ID,
            "redirect_uri": services.callback_url(),
            "state": state,
            **scopes,
        }
    )
    return redirect(f"{settings.SLACK_AUTHORIZE_URL}?{query}")


@login_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    accounts = (
        SlackAccount.objects.filter(user=_me(request)).select_related("workspace").order_by("workspace__name")
    )
    pending = [
        r for r in LinkRequest.objects.filter(user=_me(request)).select_related("workspace") if r.is_open()
    ]
    rows = [
        (
            account,
            PreferencesForm(
                initial={"status_opt_in": account.status_opt_in, "digest_opt_in": account.digest_opt_in},
                prefix=f"a{account.pk}",
            ),
        )
        for account in accounts
    ]
    linked = {account.workspace_id for account in accounts}
    workspaces = [
        w
        for w in Workspace.objects.filter(uninstalled_at__isnull=True, enabled=True).exclude(bot_token="")
        if w.pk not in linked
    ]
    return render(
        request,
        "slack/settings.html",
        {
            "rows": rows,
            "pending": pending,
            "workspaces": workspaces,
            "configured": services.is_configured(),
            "ask_command": settings.SLACK_ASK_COMMAND,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    link_request = services.pending_link(token=token, user=_me(request))
    if link_request is None:
        raise Http404
    if request.method == "POST":
        try:
            services.confirm_link(link_request=link_request, user=_me(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Your Slack account in {link_request.workspace} is linked.")
        return redirect("slack:settings")
    return render(request, "slack/confirm_link.html", {"link_request": link_request})


@login_required
@require_POST
def find_me(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_object_or_404(Workspace.objects.filter(uninstalled_at__isnull=True), pk=workspace_id)
    try:
        link_request = services.find_me(workspace=workspace, user=_me(request))
    except (SlackApiError, RateLimited, WorkspaceInactive):
        messages.error(request, services.SLACK_DID_NOT_ANSWER)
        return redirect("slack:settings")
    except ValidationError as error:  # looked too often this hour
        messages.error(request, " ".join(error.messages))
        return redirect("slack:settings")
    if link_request is None:
        messages.error(request, services.no_match_message(workspace))
        return redirect("slack:settings")
    return redirect("slack:confirm-link", link_request.token)


@login_required
@require_POST
def unlink(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(SlackAccount, pk=account_id, user=_me(request))
    services.unlink(account=account, user=_me(request))
    messages.success(
        request, f"Slack in {account.workspace} is no longer linked. Nothing more is sent there."
    )
    return redirect("slack:settings")


@login_required
@require_POST
def preferences(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(
        SlackAccount.objects.select_related("workspace"), pk=account_id, user=_me(request)
    )
    form = PreferencesForm(request.POST, prefix=f"a{account.pk}")
    if form.is_valid():
        wants_status = form.cleaned_data["status_opt_in"]
        if wants_status and not account.user_token:
            services.set_preferences(
                account=account, status_opt_in=False, digest_opt_in=form.cleaned_data["digest_opt_in"]
            )
            return _authorize_redirect(
                request,
                purpose="status",
                user_scope=",".join(services.STATUS_USER_SCOPES),
                team=account.workspace.team_id,
            )
        services.set_preferences(
            account=account, status_opt_in=wants_status, digest_opt_in=form.cleaned_data["digest_opt_in"]
        )
        try:
            status.sync(account)
        except (RateLimited, WorkspaceInactive, SlackApiError):
            messages.warning(request, "Saved. Slack did not answer; your status follows within the hour.")
        else:
            messages.success(request, "Slack preferences saved.")
    return redirect("slack:settings")


@login_required
@require_GET
def install(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    return _authorize_redirect(request, purpose="install", scope=",".join(services.BOT_SCOPES))


@login_required
@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    expected = request.session.pop(STATE_KEY, "")
    state = request.GET.get("state", "")
    if not expected or not secrets.compare_digest(expected, state):
        raise Http404
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, "Slack did not finish the installation (it was cancelled or refused).")
        return redirect("slack:settings")
    purpose = state.split(":", 1)[0]
    try:
        if purpose == "install":
            _require_organiser(request)
            workspace = services.complete_install(code=request.GET["code"], installer=_me(request))
            messages.success(request, f"Open to Help is installed in {workspace}.")
            return redirect("slack:workspaces")
        account = services.complete_status_grant(code=request.GET["code"], user=_me(request))
        status.sync(account)
        messages.success(request, "Your Slack status now shows when you are open to help.")
    except (ValidationError, SlackApiError, RateLimited, WorkspaceInactive) as error:
        if isinstance(error, ValidationError):
            text = " ".join(error.messages)
        elif isinstance(error, SlackApiError):
            text = _oauth_refusal(str(error.response.get("error", "")))
        else:
            text = "Slack refused the request."
        messages.error(request, text)
    return redirect("slack:settings")


def _oauth_refusal(code: str) -> str:
    """What an organiser (and the administrator they forward it to) can do about Slack's answer."""
    if code in {"invalid_client_id", "bad_client_secret", "invalid_client"}:
        return (
            f"Slack refused the app's credentials ({code}): the administrator should compare SLACK_CLIENT_ID "
            "and SLACK_CLIENT_SECRET with the app's Basic Information page, then restart the app."
        )
    if code == "bad_redirect_uri":
        return (
            f"Slack refused the return address ({code}): the app's manifest must list "
            f"{services.callback_url()} (SITE_URL in place of https://help.example.org)."
        )
    if code in {"invalid_code", "code_already_used", "code_expired"}:
        return f"Slack no longer accepts this installation ({code}): press “Add to Slack” again."
    return f"Slack refused the request ({code or 'no reason given'})."


@login_required
@require_GET
def workspaces(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    rows = [
        (
            w,
            WorkspaceForm(
                initial={"enabled": w.enabled, "daily_message_cap": w.daily_message_cap}, prefix=f"w{w.pk}"
            ),
            w.accounts.count(),
        )
        for w in Workspace.objects.all()
    ]
    return render(request, "slack/workspaces.html", {"rows": rows, "configured": services.is_configured()})


@login_required
@require_POST
def workspace_update(request: HttpRequest, workspace_id: int) -> HttpResponse:
    _require_organiser(request)
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    form = WorkspaceForm(request.POST, prefix=f"w{workspace.pk}")
    if form.is_valid():
        try:
            services.update_workspace(workspace=workspace, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the settings for {workspace}.")
            return redirect("slack:workspaces")
    rows = [
        (
            w,
            form
            if w.pk == workspace.pk
            else WorkspaceForm(
                initial={"enabled": w.enabled, "daily_message_cap": w.daily_message_cap}, prefix=f"w{w.pk}"
            ),
            w.accounts.count(),
        )
        for w in Workspace.objects.all()
    ]
    return render(
        request, "slack/workspaces.html", {"rows": rows, "configured": services.is_configured()}, status=400
    )
