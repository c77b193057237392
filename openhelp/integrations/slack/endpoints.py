"""The three URLs Slack calls (events, interactions, slash commands): verify, remember, hand off, answer.

Each answers within Slack's 3 seconds: after the signature check and the idempotency key, the work is
queued for ``tasks.py``; only what Slack needs in the answer itself is done here (``interactions.py``).
Slack's own retries (``X-Slack-Retry-Num``) of something already received get 200 and no second run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.errors import SlackApiError

from openhelp.integrations.slack import client, interactions, services
from openhelp.integrations.slack.handlers import workspace_for
from openhelp.integrations.slack.models import ProcessedRequest
from openhelp.integrations.slack.tasks import event_task
from openhelp.integrations.slack.verification import BadSignature, check_signature, first_time, refuse_replay
from openhelp.platform.lib.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

CLEANUP_EVENTS = ("app_uninstalled", "tokens_revoked")


def _unauthorised(error: Exception) -> HttpResponse:
    logger.info("Slack request refused: %s", error)
    return HttpResponse("Invalid request signature.", status=401, content_type="text/plain")


def _already_done(request: HttpRequest, key: str) -> bool:
    """Slack retried something we already received: answer 200 without a second run."""
    return (
        bool(request.headers.get("X-Slack-Retry-Num")) and ProcessedRequest.objects.filter(key=key).exists()
    )


def _checked(request: HttpRequest, key: str) -> HttpResponse | None:
    """Signature, then retry, then replay; a response to return at once, or None to go on."""
    if not services.is_configured():
        return HttpResponse(status=404)
    try:
        check_signature(request)
        if _already_done(request, key):
            return HttpResponse(status=200)
        refuse_replay(request)
    except BadSignature as error:
        return _unauthorised(error)
    return None


@csrf_exempt
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    key = f"event:{body.get('event_id', '')}"
    refused = _checked(request, key)
    if refused is not None:
        return refused
    if body.get("type") == "url_verification":
        return JsonResponse({"challenge": body.get("challenge", "")})
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return HttpResponse(status=200)
    if not first_time(key):
        return HttpResponse(status=200)
    event = body.get("event") or {}
    workspace = workspace_for(body.get("team_id", ""))
    if workspace is not None and (workspace.is_active or event.get("type") in CLEANUP_EVENTS):
        enqueue_on_commit(event_task, workspace.team_id, event)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def interactions_view(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("payload", "")
    try:
        payload: dict[str, Any] = json.loads(raw or "{}")
    except ValueError:
        payload = {}
    key = "payload:" + hashlib.sha256(raw.encode()).hexdigest()
    refused = _checked(request, key)
    if refused is not None:
        return refused
    kind = payload.get("type")
    workspace = workspace_for((payload.get("team") or {}).get("id", ""))
    if workspace is None or not workspace.is_active:
        return JsonResponse({"options": []}) if kind == "block_suggestion" else HttpResponse(status=200)
    if kind != "block_suggestion" and not first_time(key):
        return HttpResponse(status=200)
    handler = {
        "block_actions": interactions.block_actions,
        "view_submission": interactions.view_submission,
        "shortcut": interactions.shortcut,
        "message_action": interactions.shortcut,
        "block_suggestion": interactions.block_suggestion,
    }.get(kind or "")
    if handler is None:
        return HttpResponse(status=200)
    try:
        answer = handler(workspace, payload)
    except (client.RateLimited, SlackApiError) as error:
        logger.warning("Slack interaction %s could not be answered: %s", kind, error)
        answer = None
    return JsonResponse(answer) if answer is not None else HttpResponse(status=200)


@csrf_exempt
@require_POST
def commands(request: HttpRequest) -> HttpResponse:
    form = {
        name: request.POST.get(name, "")
        for name in ("command", "text", "team_id", "user_id", "channel_id", "trigger_id", "response_url")
    }
    key = f"command:{form['trigger_id']}"
    refused = _checked(request, key)
    if refused is not None:
        return refused
    workspace = workspace_for(form["team_id"])
    if workspace is None or not workspace.is_active:
        return JsonResponse(
            {
                "response_type": "ephemeral",
                "text": "Open to Help is not available in this workspace right now.",
            }
        )
    if form["trigger_id"] and not first_time(key):
        return HttpResponse(status=200)
    try:
        answer = interactions.command(workspace, form)
    except (client.RateLimited, SlackApiError) as error:
        logger.warning("Slack command %s could not be answered: %s", form["command"], error)
        answer = {"response_type": "ephemeral", "text": "Slack is busy; try again in a minute."}
    return JsonResponse(answer) if answer is not None else HttpResponse(status=200)
