"""Block Kit: every message, modal and App Home view the app shows, built from plain data.

Action and callback ids are the interface with ``interactions.py``; one name per thing:
``offer_accept`` / ``offer_decline`` / ``offer_pause`` (buttons on an offer), ``ask_modal``,
``decline_modal``, ``pause_modal``, ``kudos_modal`` (view callback ids), ``thank_for_this`` (the
message shortcut), ``skills`` (the external select whose options come from ``block_suggestion``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from openhelp.help.asks.models import AskFormat, Urgency
from openhelp.help.routing.services import MENTOR_DECLINE_REASONS

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": str(text)[:150] or " ", "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def button(text: str, *, action_id: str, value: str = "", style: str = "", url: str = "") -> Block:
    element: Block = {"type": "button", "text": plain(text), "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def option(value: str, label: str) -> Block:
    return {"text": plain(label), "value": value}


# In ``<url|label>`` the address ends at the first ``|`` or ``>``: a meeting link typed as
# ``https://meet.example/x|<!channel>`` would make the rest text of its own (a mention, a fake link).
# Percent-encoded, these characters mean the same in an address and cannot end it.
_URL_BREAKERS = {ord(c): f"%{ord(c):02X}" for c in '|<> "'} | {code: f"%{code:02X}" for code in range(32)}


def link(url: str, label: str) -> str:
    return f"<{str(url).translate(_URL_BREAKERS)}|{escape(label)}>"


# --- Offers --------------------------------------------------------------------------------------


def offer_message(
    *,
    offer_id: int,
    title: str,
    objective: str,
    reasons: Sequence[str],
    urgency: str,
    format_label: str,
    window: str,
    url: str,
) -> list[Block]:
    """The offer as a direct message: what they want, why you, and the three answers."""
    why = "\n".join(f"• {escape(reason)}" for reason in reasons[:3]) or "• Your skills fit this ask."
    return [
        section(f"*Can you help with {link(url, title)}?*\nBy the end they want to: {escape(objective)}"),
        section(f"*Why you*\n{why}"),
        context(f"{escape(format_label)} · {escape(urgency)} · answer within {escape(window)}"),
        {
            "type": "actions",
            "block_id": f"offer:{offer_id}",
            "elements": [
                button("Accept", action_id="offer_accept", value=str(offer_id), style="primary"),
                button("Decline…", action_id="offer_decline", value=str(offer_id)),
                button("Pause me…", action_id="offer_pause", value=str(offer_id)),
            ],
        },
    ]


def offer_closed(*, title: str, url: str, outcome: str) -> list[Block]:
    """The same offer after it closed: no buttons left, one line saying what happened."""
    return [section(f"*{link(url, title)}*"), context(escape(outcome))]


# --- Notifications (booking confirmed, reminders, debrief prompt, kudos …) ---------------------------


def notice(*, title: str, body: str, url: str, event: str, session_id: int | None = None) -> list[Block]:
    blocks = [section(f"*{escape(title)}*" + (f"\n{escape(body)}" if body else ""))]
    elements = []
    if url:
        label = "Write the debrief" if event == "session.debrief_reminder" else "Open"
        elements.append(button(label, action_id="open_link", url=url, style="primary"))
    if event == "session.debrief_reminder":
        elements.append(button("Thank them", action_id="kudos_open", value=str(session_id or "")))
    if elements:
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def join_link(*, title: str, when: str, place: str, url: str) -> list[Block]:
    """The call link as it opens; ``when`` says the start in the reader's zone ("starts Sun 6 Dec, 11:00 CET")."""
    where = link(place, "Join now") if place.startswith(("https://", "http://")) else escape(place or "—")
    return [section(f"*{escape(title)}* {escape(when)}.\n{where}"), context(link(url, "Session page"))]


# --- Modals ----------------------------------------------------------------------------------------


def _input(block_id: str, label: str, element: Block, *, optional: bool = False, hint: str = "") -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def _text_input(
    action_id: str, *, multiline: bool = False, max_length: int = 300, initial: str = ""
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return element


def _static_select(action_id: str, choices: Iterable[tuple[str, str]], initial: str = "") -> Block:
    options = [option(value, label) for value, label in choices]
    element: Block = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def modal(
    *, callback_id: str, title: str, submit: str, blocks: list[Block], metadata: dict | None = None
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title[:24]),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "blocks": blocks,
    }
    if metadata:
        view["private_metadata"] = json.dumps(metadata)
    return view


def ask_modal(*, initial_text: str = "") -> Block:
    return modal(
        callback_id="ask_modal",
        title="Ask for help",
        submit="Send ask",
        blocks=[
            _input(
                "title",
                "What do you need help with?",
                _text_input("title", max_length=120, initial=initial_text),
            ),
            _input("objective", "By the end I can …", _text_input("objective", max_length=300)),
            _input(
                "skills",
                "Skills",
                {
                    "type": "multi_external_select",
                    "action_id": "skills",
                    "min_query_length": 1,
                    "max_selected_items": 5,
                },
                hint="Type a few letters to find a skill.",
            ),
            _input(
                "question",
                "One question your expert can prepare for",
                _text_input("question", multiline=True),
            ),
            _input("format", "Format", _static_select("format", AskFormat.choices, AskFormat.CALL_30)),
            _input("urgency", "How soon?", _static_select("urgency", Urgency.choices, Urgency.THIS_WEEK)),
        ],
    )


def decline_modal(*, offer_id: int, title: str) -> Block:
    return modal(
        callback_id="decline_modal",
        title="Decline the offer",
        submit="Decline",
        metadata={"offer_id": offer_id},
        blocks=[
            section(f"Decline *{escape(title)}*? It goes on to the next experts."),
            _input(
                "reason",
                "Why not?",
                {
                    "type": "radio_buttons",
                    "action_id": "reason",
                    "options": [option(r.value, r.label) for r in MENTOR_DECLINE_REASONS],
                },
            ),
            _input("note", "Note (needed for “other”)", _text_input("note"), optional=True),
        ],
    )


def pause_modal(*, offer_id: int, until: str) -> Block:
    return modal(
        callback_id="pause_modal",
        title="Pause offers",
        submit="Pause me",
        metadata={"offer_id": offer_id},
        blocks=[
            section("No new offers until the day you choose; your pending offers go to other experts."),
            _input("until", "Back on", {"type": "datepicker", "action_id": "until", "initial_date": until}),
        ],
    )


def kudos_modal(
    *, receiver_slack_id: str = "", message: str = "", channel: str = "", session_id: int | None = None
) -> Block:
    user_select: Block = {"type": "users_select", "action_id": "receiver"}
    if receiver_slack_id:
        user_select["initial_user"] = receiver_slack_id
    return modal(
        callback_id="kudos_modal",
        title="Thank someone",
        submit="Send kudos",
        metadata={"channel": channel, "session_id": session_id},
        blocks=[
            _input("receiver", "Who do you want to thank?", user_select),
            _input("message", "For …", _text_input("message", multiline=True, initial=message[:300])),
        ],
    )


# --- App Home ----------------------------------------------------------------------------------------


def home(
    *,
    linked: bool,
    link_url: str,
    offers: list[tuple[int, str, str]],
    asks: list[tuple[str, str, str]],
    sessions: list[tuple[str, str, str]],
    challenge: str,
) -> Block:
    """App Home: my offers, my asks, my upcoming sessions, this week's challenge (or how to link)."""
    if not linked:
        return {
            "type": "home",
            "blocks": [
                {"type": "header", "text": plain("Open to Help")},
                section(
                    "Link your Open to Help account to get offers, write asks and thank people from Slack."
                ),
                {
                    "type": "actions",
                    "elements": [button("Link my account", action_id="link_start", style="primary")],
                },
                context(f"Or link it on the web: {link(link_url, 'Slack settings')}"),
            ],
        }
    blocks: list[Block] = [{"type": "header", "text": plain("Open to Help")}]
    blocks.append(section("*My offers*"))
    if offers:
        for offer_id, title, url in offers:
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": link(url, title)},
                    "accessory": button(
                        "Accept", action_id="offer_accept", value=str(offer_id), style="primary"
                    ),
                }
            )
    else:
        blocks.append(context("No offers waiting. Offers for your skills appear here and as messages."))
    blocks.append({"type": "divider"})
    blocks.append(section("*My asks*"))
    blocks.append(
        section(
            "\n".join(f"• {link(url, title)} — {escape(state)}" for title, state, url in asks)
            if asks
            else "Nothing asked yet. Type `/help` anywhere to ask for help."
        )
    )
    blocks.append({"type": "divider"})
    blocks.append(section("*My upcoming sessions*"))
    blocks.append(
        section(
            "\n".join(f"• {link(url, title)} — {escape(when)}" for title, when, url in sessions)
            if sessions
            else "No sessions planned."
        )
    )
    blocks.append({"type": "divider"})
    blocks.append(section(f"*This week's three moments*\n{escape(challenge)}\nLog one with `/moment …`."))
    return {"type": "home", "blocks": blocks}
