"""What must happen inside the request (Slack waits 3 seconds), and the hand-off of the rest.

Inline, and only this: opening a modal (``views.open`` needs the ``trigger_id``, which expires after
3 seconds, so it cannot wait for a worker), answering ``block_suggestion`` with options, and checking a
submitted modal so errors show next to its fields (``response_action: errors``). Everything else is
queued with ``enqueue_on_commit`` and done by ``tasks.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from openhelp.community.recognition import services as recognition
from openhelp.directory.skills.models import Skill
from openhelp.directory.skills.services import autocomplete_skills
from openhelp.help.asks import services as asks
from openhelp.help.mentoring.models import Session
from openhelp.help.routing.models import DeclineReason, Offer
from openhelp.help.routing.services import MAX_NOTE, MENTOR_DECLINE_REASONS
from openhelp.integrations.slack import blocks, client, services
from openhelp.integrations.slack.models import SlackAccount, Workspace
from openhelp.integrations.slack.tasks import action_task, command_task
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import id_from_text, ids_from_texts
from openhelp.platform.lib.tasks import enqueue_on_commit

Answer = dict[str, Any] | None

# Where a service's field errors show in the ask modal (block ids); the rest go on the title.
ASK_FIELD_BLOCKS = {
    "title": "title",
    "objective": "objective",
    "skills": "skills",
    "preparation_questions": "question",
    "format": "format",
    "urgency": "urgency",
}
MAX_PAUSE_DAYS = 365


def _not_linked_text() -> str:
    return "Link your Open to Help account first: we are sending you a link to confirm it is you."


def command(workspace: Workspace, form: dict[str, Any]) -> Answer:
    """A slash command: the ask modal opens inline; /kudos and /moment are done in the background."""
    account = services.account_for(workspace, form.get("user_id", ""))
    if account is None:
        enqueue_on_commit(command_task, workspace.team_id, form)
        return {"response_type": "ephemeral", "text": _not_linked_text()}
    if form.get("command") == settings.SLACK_ASK_COMMAND:
        client.call(
            workspace,
            "views.open",
            trigger_id=form.get("trigger_id", ""),
            view=blocks.ask_modal(initial_text=form.get("text", "")[:120]),
        )
        return None
    if form.get("command") in ("/kudos", "/moment"):
        enqueue_on_commit(command_task, workspace.team_id, form)
        return {"response_type": "ephemeral", "text": "On it…"}
    return {"response_type": "ephemeral", "text": "This command is not known to Open to Help."}


def block_actions(workspace: Workspace, payload: dict[str, Any]) -> Answer:
    slack_user_id = (payload.get("user") or {}).get("id", "")
    account = services.account_for(workspace, slack_user_id)
    for action in payload.get("actions") or []:
        action_id = action.get("action_id")
        if action_id == "link_start" or account is None:
            enqueue_on_commit(action_task, workspace.team_id, _slim(payload), "link", {})
            return None
        offer_id = id_from_text(action.get("value"))  # the buttons of an offer carry its id
        if action_id == "offer_accept" and offer_id:
            enqueue_on_commit(
                action_task, workspace.team_id, _slim(payload), "accept", {"offer_id": offer_id}
            )
        elif action_id in ("offer_decline", "offer_pause"):
            offer = Offer.objects.select_related("ask").filter(pk=offer_id or 0, mentor=account.user).first()
            if offer is None:
                continue
            if action_id == "offer_decline":
                view = blocks.decline_modal(offer_id=offer.pk, title=offer.ask.title)
            else:
                view = blocks.pause_modal(
                    offer_id=offer.pk, until=(now().date() + dt.timedelta(days=7)).isoformat()
                )
            client.call(workspace, "views.open", trigger_id=payload.get("trigger_id", ""), view=view)
        elif action_id == "kudos_open":
            view = _kudos_after_session(workspace, account, action.get("value", ""))
            client.call(workspace, "views.open", trigger_id=payload.get("trigger_id", ""), view=view)
    return None


def _kudos_after_session(workspace: Workspace, account: SlackAccount, value: str) -> dict[str, Any]:
    """ "Thank them" under a debrief prompt: the other person of that session, when linked here."""
    session_id = id_from_text(value)
    session = Session.objects.involving(account.user).filter(pk=session_id).first() if session_id else None
    if session is None:
        return blocks.kudos_modal()
    other = SlackAccount.objects.filter(workspace=workspace, user=session.other_side(account.user)).first()
    return blocks.kudos_modal(receiver_slack_id=other.slack_user_id if other else "", session_id=session.pk)


def shortcut(workspace: Workspace, payload: dict[str, Any]) -> Answer:
    """ "Thank for this" on a message: the kudos modal, prefilled with its author and text."""
    if payload.get("callback_id") != "thank_for_this":
        return None
    message = payload.get("message") or {}
    view = blocks.kudos_modal(
        receiver_slack_id=message.get("user", ""),
        message=message.get("text", ""),
        channel=(payload.get("channel") or {}).get("id", ""),
    )
    client.call(workspace, "views.open", trigger_id=payload.get("trigger_id", ""), view=view)
    return None


def block_suggestion(workspace: Workspace, payload: dict[str, Any]) -> Answer:
    """Options for the skills external select: the same autocomplete as the web form."""
    account = services.account_for(workspace, (payload.get("user") or {}).get("id", ""))
    user = account.user if account is not None else None
    found = autocomplete_skills(payload.get("value", ""), user=user) if user is not None else []
    return {"options": [blocks.option(str(s.skill.pk), s.label) for s in found]}


# --- view_submission ---------------------------------------------------------------------------------


def _values(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    state = ((payload.get("view") or {}).get("state") or {}).get("values") or {}
    return {block_id: next(iter(actions.values()), {}) for block_id, actions in state.items() if actions}


def _metadata(payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads((payload.get("view") or {}).get("private_metadata") or "{}")
    except ValueError:
        return {}


def _errors(errors: dict[str, str]) -> dict[str, Any]:
    return {"response_action": "errors", "errors": errors}


def view_submission(workspace: Workspace, payload: dict[str, Any]) -> Answer:
    account = services.account_for(workspace, (payload.get("user") or {}).get("id", ""))
    if account is None:
        return _errors({next(iter(_values(payload)), "title"): _not_linked_text()})
    callback = (payload.get("view") or {}).get("callback_id")
    values = _values(payload)
    submit = {
        "ask_modal": _submit_ask,
        "decline_modal": _submit_decline,
        "pause_modal": _submit_pause,
        "kudos_modal": _submit_kudos,
    }.get(callback or "")
    return submit(workspace, account, payload, values) if submit else None


def _selected(value: dict[str, Any]) -> str:
    return ((value.get("selected_option") or {}).get("value")) or ""


def _submit_ask(workspace: Workspace, account: SlackAccount, payload: dict, values: dict) -> Answer:
    """The draft is saved here so its errors show in the modal; publishing (routing) runs in the task."""
    skill_ids = ids_from_texts(
        o.get("value") for o in (values.get("skills", {}).get("selected_options") or [])
    )
    question = (values.get("question", {}).get("value") or "").strip()
    try:
        ask = asks.create_ask(
            mentee=account.user,
            title=values.get("title", {}).get("value") or "",
            objective=values.get("objective", {}).get("value") or "",
            preparation_questions=[question] if question else [],
            skills=list(Skill.objects.filter(pk__in=skill_ids)),
            format=_selected(values.get("format", {})),
            urgency=_selected(values.get("urgency", {})),
        )
    except ValidationError as error:
        return _errors(
            {
                ASK_FIELD_BLOCKS.get(field, "title"): " ".join(messages)
                for field, messages in error.message_dict.items()
            }
        )
    enqueue_on_commit(action_task, workspace.team_id, _slim(payload), "publish_ask", {"ask_id": ask.pk})
    return None


def _submit_decline(workspace: Workspace, account: SlackAccount, payload: dict, values: dict) -> Answer:
    reason = _selected(values.get("reason", {}))
    note = " ".join((values.get("note", {}).get("value") or "").split())
    if reason not in {r.value for r in MENTOR_DECLINE_REASONS}:
        return _errors({"reason": "Choose a reason: not my area, no time this week, or other."})
    if len(note) > MAX_NOTE:
        return _errors({"note": f"Keep the note under {MAX_NOTE} characters."})
    if reason == DeclineReason.OTHER and not note:
        return _errors({"note": "Say in a few words why, so we route it better next time."})
    data = {"offer_id": int(_metadata(payload).get("offer_id", 0)), "reason": reason, "note": note}
    enqueue_on_commit(action_task, workspace.team_id, _slim(payload), "decline", data)
    return None


def _submit_pause(workspace: Workspace, account: SlackAccount, payload: dict, values: dict) -> Answer:
    raw = values.get("until", {}).get("selected_date") or ""
    try:
        until = dt.date.fromisoformat(raw)
    except ValueError:
        return _errors({"until": "Choose the day you are back."})
    today = now().date()
    if not today < until <= today + dt.timedelta(days=MAX_PAUSE_DAYS):
        return _errors({"until": "Choose a day after today, within a year."})
    enqueue_on_commit(action_task, workspace.team_id, _slim(payload), "pause", {"until": until.isoformat()})
    return None


def _submit_kudos(workspace: Workspace, account: SlackAccount, payload: dict, values: dict) -> Answer:
    receiver = services.account_for(workspace, values.get("receiver", {}).get("selected_user") or "")
    message = values.get("message", {}).get("value") or ""
    if receiver is None:
        return _errors({"receiver": "They have not linked Slack to Open to Help yet; thank them on the web."})
    session_id = _metadata(payload).get("session_id")
    session = Session.objects.involving(account.user).filter(pk=session_id).first() if session_id else None
    try:
        message = recognition.check_kudos(
            giver=account.user, receiver=receiver.user, message=message, session=session
        )
    except ValidationError as error:
        return _errors(
            {
                ("message" if field == "message" else "receiver"): " ".join(messages)
                for field, messages in error.message_dict.items()
            }
        )
    if recognition.kudos_left_today(giver=account.user) <= 0:
        return _errors({"message": "You have given all your kudos for today; thank them again tomorrow."})
    data = {
        "receiver_account_id": receiver.pk,
        "message": message,
        "channel": _metadata(payload).get("channel", ""),
        "session_id": session.pk if session is not None else None,
    }
    enqueue_on_commit(action_task, workspace.team_id, _slim(payload), "kudos", data)
    return None


def _slim(payload: dict[str, Any]) -> dict[str, Any]:
    """What the task needs from a payload (not the whole view): who, where, and which message."""
    return {
        "user": {"id": (payload.get("user") or {}).get("id", "")},
        "channel": {"id": (payload.get("channel") or {}).get("id", "")},
        "message": {"ts": (payload.get("message") or {}).get("ts", "")},
    }
