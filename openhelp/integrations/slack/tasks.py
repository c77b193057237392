"""Background tasks: the Web API calls behind every acknowledged Slack request, and periodic jobs.

A 429 from Slack does not fail the task: it is enqueued again to run when ``Retry-After`` has passed
(``client.RateLimited``). A workspace that was uninstalled or switched off meanwhile drops the work.
Every task is idempotent: offers are answered through services that refuse a second answer, DMs are
keyed by notification or session, and App Home is re-derived each time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db.models import Q
from django.urls import reverse

from openhelp.help.mentoring.lifecycle import JOIN_OPENS_BEFORE
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.integrations.slack import blocks, client, digest, handlers, services, status
from openhelp.integrations.slack.models import SlackMessage
from openhelp.integrations.slack.transport import active_accounts
from openhelp.integrations.slack.verification import prune_processed
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.local_time import local_label
from openhelp.platform.lib.tasks import background_task

logger = logging.getLogger(__name__)


def _guarded(task_obj: Any, work: Callable[[], object], *args: Any) -> None:
    try:
        work()
    except client.RateLimited as limited:
        task_obj.using(run_after=limited.until).enqueue(*args)
    except client.TokenUnreadable as unreadable:
        logger.warning("Slack work dropped: %s", unreadable)
    except (client.WorkspaceInactive, services.MessageCapReached) as stop:
        logger.info("Slack work dropped: %s", stop)


@background_task()
def command_task(team_id: str, form: dict[str, Any]) -> None:
    def work() -> None:
        workspace = handlers.workspace_for(team_id)
        if workspace is None:
            return
        account = services.account_for(workspace, form.get("user_id", ""))
        if account is None:
            handlers.offer_link(
                workspace, slack_user_id=form.get("user_id", ""), channel=form.get("channel_id", "")
            )
            return
        if form.get("command") == "/kudos":
            text = handlers.kudos_command(workspace, account, form)
        else:
            text = handlers.moment_command(account, form)
        handlers.reply(workspace, form, text)

    _guarded(command_task, work, team_id, form)


@background_task()
def action_task(team_id: str, payload: dict[str, Any], work_name: str, data: dict[str, Any]) -> None:
    """Work that follows a button or a submitted modal (validated already, in the request)."""

    def work() -> None:
        workspace = handlers.workspace_for(team_id)
        if workspace is None:
            return
        slack_user_id = (payload.get("user") or {}).get("id", "")
        if work_name == "link":
            handlers.offer_link(workspace, slack_user_id=slack_user_id)
            return
        account = services.account_for(workspace, slack_user_id)
        if account is None:
            return
        if work_name == "accept":
            handlers.accept(workspace, account, payload, data["offer_id"])
        elif work_name == "decline":
            handlers.decline(workspace, account, data["offer_id"], data["reason"], data.get("note", ""))
        elif work_name == "pause":
            handlers.pause(account, dt.date.fromisoformat(data["until"]))
            status.sync(account)  # the badge follows the pause at once, not at the next periodic sync
        elif work_name == "publish_ask":
            text = handlers.publish_ask(account, data["ask_id"])
            if text:
                handlers.reply(workspace, {"user": {"id": slack_user_id}}, text)
        elif work_name == "kudos":
            text = handlers.give_kudos(
                account, data["receiver_account_id"], data.get("message", ""), data.get("session_id")
            )
            handlers.reply(
                workspace, {"user": {"id": slack_user_id}, "channel_id": data.get("channel", "")}, text
            )
        if work_name in ("accept", "decline", "pause", "publish_ask"):
            handlers.publish_home(workspace, slack_user_id)

    _guarded(action_task, work, team_id, payload, work_name, data)


@background_task()
def event_task(team_id: str, event: dict[str, Any]) -> None:
    def work() -> None:
        kind = event.get("type")
        if kind == "app_uninstalled":
            services.uninstall(team_id=team_id)
        elif kind == "tokens_revoked":
            tokens = event.get("tokens") or {}
            if tokens.get("bot"):
                services.uninstall(team_id=team_id)
            if tokens.get("oauth"):
                services.revoke_user_tokens(team_id=team_id, slack_user_ids=list(tokens["oauth"]))
        elif kind == "app_home_opened" and event.get("tab", "home") == "home":
            workspace = handlers.workspace_for(team_id)
            if workspace is not None:
                handlers.publish_home(workspace, event.get("user", ""))

    _guarded(event_task, work, team_id, event)


@background_task()
def refresh_offers_task(offer_ids: list[int], ask_ids: list[int]) -> None:
    def work() -> None:
        handlers.refresh_offer_messages(offer_ids=offer_ids)
        handlers.refresh_offer_messages(ask_ids=ask_ids)

    _guarded(refresh_offers_task, work, offer_ids, ask_ids)


# --- Periodic --------------------------------------------------------------------------------------


@background_task()
def join_links_task() -> None:
    """Each linked participant gets the session's join link when the link opens — ``JOIN_OPENS_BEFORE``
    before the start, as on the session page and Today — once per session and person. A run that comes
    late (the worker was down, the call was booked minutes before) still sends it while the call is on;
    a call past its end gets none."""
    moment = now()
    open_now = list(
        Session.objects.filter(
            state=SessionState.PLANNED,
            starts_at__lte=moment + JOIN_OPENS_BEFORE,
            ends_at__gt=moment,  # the services give every timed session its end
        )
    )
    # A session stays open for its whole call, so most runs find links already sent: read them once.
    sent = set(
        SlackMessage.objects.filter(session_id__in=[session.pk for session in open_now]).values_list(
            "workspace_id", "session_id", "user_id"
        )
    )
    accounts = active_accounts().select_related("user__profile")
    for session in open_now:
        start = session.starts_at
        if start is None:  # the filter asks for a start: never, but typed so
            continue
        for account in accounts.filter(Q(user_id=session.mentor_id) | Q(user_id=session.mentee_id)):
            if (account.workspace_id, session.pk, account.user_id) in sent:
                continue
            url = services.absolute(reverse("mentoring:detail", args=[session.pk]))
            profile = getattr(account.user, "profile", None)
            when = local_label(start, profile.timezone if profile else None)
            starts = f"{'starts' if start > moment else 'started'} {when}"
            body = blocks.join_link(title=session.title, when=starts, place=session.place, url=url)
            _guarded(
                join_links_task,
                partial(
                    services.post_dm,
                    account,
                    text=f"{session.title} {starts}",
                    blocks=body,
                    kind=SlackMessage.Kind.SESSION,
                    session_id=session.pk,
                ),
            )


@background_task()
def weekly_digest_task() -> None:
    for account in active_accounts().filter(digest_opt_in=True):
        _guarded(weekly_digest_task, partial(digest.send, account))


@background_task()
def status_sync_task() -> None:
    for account in active_accounts().filter(status_opt_in=True).exclude(user_token=""):
        _guarded(status_sync_task, partial(status.sync, account))


@background_task()
def prune_task() -> None:
    prune_processed()
