"""The bot's commands: what a person types in a DM with the bot, and what the bot answers.

Each command calls the same service as the web page would (asks, routing, recognition, moments), so the
rules, limits and notifications are the product's own; a service's error becomes the reply, in its words.
``answer(...)`` is pure apart from those services: it returns the reply text, the sync loop sends it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openhelp.community.moments.models import MomentKind
from openhelp.community.moments.services import log_moment
from openhelp.community.recognition.services import give_kudos
from openhelp.directory.skills.services import resolve_skill
from openhelp.help.asks.display import status_text
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition
from openhelp.help.asks.services import create_ask, publish_ask
from openhelp.help.asks.validation import MAX_TITLE
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.help.routing.services import RoutingConflict, accept_offer, decline_offer
from openhelp.integrations.matrix import services
from openhelp.platform.lib.numbers import id_from_text
from openhelp.platform.notifications.emails import absolute_url

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

HELP = """Open to Help, from Matrix:
!ask <what you want to be able to do> #skill #skill | first question? | second question?
!accept <offer number>  (or react ✅ to the offer)
!decline <offer number> [not my area | no time | your reason]  (or react ❌)
!kudos @someone:server for <what they did>
!moment [encouragement|insight|introduction|feedback|question] <one line>
!link [your e-mail]  ·  !unlink  ·  !help"""
NOT_LINKED = "I do not know who you are on Open to Help yet. Send !link (or !link you@example.org) and confirm it on the web."
# Compared without the emoji variation selector (U+FE0F), which clients add or not.
ACCEPT_KEYS = frozenset({"✅", "✔", "👍"})
DECLINE_KEYS = frozenset({"❌", "✖", "👎"})


@dataclass(frozen=True)
class Sender:
    matrix_id: str
    room_id: str


def explain(error: Exception) -> str:
    """A service error in the service's own words, one line per field."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(message for messages in error.message_dict.values() for message in messages)
        return " ".join(error.messages)
    return str(error) or "That did not work."


def answer(sender: Sender, body: str) -> str | None:
    """The reply to one message, or None when it is not a command (people may chat in the room too)."""
    text = body.strip()
    if not text.startswith("!"):
        return None
    name, _, rest = text[1:].partition(" ")
    name, rest = name.lower(), rest.strip()
    if name == "help":
        return HELP
    if name == "link":
        return _link(sender, rest)
    if name == "unlink":
        removed = services.unlink_matrix_id(matrix_id=sender.matrix_id)
        return "Unlinked: I will not message you any more." if removed else "You were not linked."
    handler = COMMANDS.get(name)
    if handler is None:
        return f"I do not know “!{name}”. Send !help for what I can do."
    user = services.linked_user(sender.matrix_id)
    if user is None:
        return NOT_LINKED
    try:
        return handler(user, rest)
    except (ValidationError, PermissionDenied, AskConflict, IllegalTransition, RoutingConflict) as error:
        return explain(error)


def react(sender: Sender, *, event_id: str, key: str) -> str | None:
    """A reaction on an offer message answers the offer; other reactions are ignored."""
    key = key.replace("\ufe0f", "")
    accept, decline = key in ACCEPT_KEYS, key in DECLINE_KEYS
    if not (accept or decline):
        return None
    message = services.offer_message(event_id)
    if message is None:
        return None
    user = services.linked_user(sender.matrix_id)
    if user is None:
        return NOT_LINKED
    command = _accept if accept else _decline
    try:
        return command(user, str(message.offer_id))
    except (ValidationError, PermissionDenied, RoutingConflict) as error:
        return explain(error)


def _link(sender: Sender, rest: str) -> str:
    email = rest.split()[0] if rest else ""
    if email and "@" not in email:
        return "Send !link alone, or !link with the e-mail address you sign in with."
    code = services.start_link(matrix_id=sender.matrix_id, room_id=sender.room_id, email=email)
    return (
        "To link this Matrix account, open this link while signed in to Open to Help and confirm "
        f"(it works once, for 30 minutes): {services.link_url(code)}"
    )


# --- Commands for linked people ----------------------------------------------------------------------


def _ask(user: User, rest: str) -> str:
    first, *questions = (part.strip() for part in rest.split("|"))
    tags = re.findall(r"#([\w+.#-]+)", first)
    objective = " ".join(re.sub(r"#[\w+.#-]+", " ", first).split())
    if not objective or not tags:
        return "Write it as: !ask <what you want to be able to do> #skill | a question for your expert?"
    skills, unknown = [], []
    for tag in tags:
        skill = resolve_skill(tag.replace("-", " "), user=user) or resolve_skill(tag, user=user)
        (skills.append(skill) if skill is not None else unknown.append(tag))
    if unknown:
        return f"I do not know the skill(s) {', '.join('#' + tag for tag in unknown)}. Try the name shown on the skills page."
    title = objective if len(objective) <= MAX_TITLE else objective[: MAX_TITLE - 1].rstrip() + "…"
    ask = create_ask(
        mentee=user,
        title=title,
        objective=objective,
        skills=skills,
        preparation_questions=[q for q in questions if q],
    )
    ask = publish_ask(ask=ask, actor=user)
    url = absolute_url(reverse("asks:detail", args=[ask.pk]))
    return f"Your ask #{ask.pk} is out. {status_text(ask)} I will tell you here when an expert accepts. {url}"


def _own_pending_offer(user: User, rest: str) -> tuple[Offer | None, str]:
    number, _, remainder = rest.partition(" ")
    offer_id = id_from_text(number.lstrip("#"))
    if offer_id is None:
        return None, "Give the offer number, e.g. !accept 12."
    offer = Offer.objects.select_related("ask").filter(pk=offer_id, mentor=user).first()
    if offer is None:
        return None, f"You have no offer #{number.lstrip('#')}."
    return offer, remainder.strip()


def _accept(user: User, rest: str) -> str:
    offer, error = _own_pending_offer(user, rest)
    if offer is None:
        return error
    offer = accept_offer(offer=offer, mentor=user)
    url = absolute_url(reverse("asks:detail", args=[offer.ask_id]))
    return f"Thank you! You are helping with “{offer.ask.title}”. Agree a time with them: {url}"


def _decline_reason(text: str) -> tuple[str, str]:
    lowered = text.lower()
    if not lowered or "time" in lowered or "busy" in lowered:
        return DeclineReason.NO_TIME, ""
    if "area" in lowered:
        return DeclineReason.NOT_MY_AREA, ""
    return DeclineReason.OTHER, text


def _decline(user: User, rest: str) -> str:
    offer, remainder = _own_pending_offer(user, rest)
    if offer is None:
        return remainder
    if offer.state != OfferState.PENDING:
        return f"Offer #{offer.pk} is already {offer.get_state_display().lower()}."
    reason, note = _decline_reason(remainder)
    decline_offer(offer=offer, mentor=user, reason=reason, note=note)
    return f"Declined — thank you for answering. “{offer.ask.title}” goes on to other experts."


def _kudos(user: User, rest: str) -> str:
    target, _, message = rest.partition(" ")
    message = message.strip()
    message = message[4:].strip() if message.lower().startswith("for ") else message
    if not services.is_matrix_id(target):
        return "Write it as: !kudos @someone:server for what they did."
    receiver = services.linked_user(target)
    if receiver is None:
        return f"{target} has not linked Matrix to Open to Help, so I cannot thank them from here."
    give_kudos(giver=user, receiver=receiver, message=message)
    return f"Kudos sent to {receiver.display_name}. 🎉"


def _moment(user: User, rest: str) -> str:
    first, _, note = rest.partition(" ")
    kind = first.lower() if first.lower() in MomentKind.values else MomentKind.ENCOURAGEMENT
    note = note if first.lower() in MomentKind.values else rest
    moment = log_moment(author=user, kind=kind, note=note)
    return f"Logged your moment ({moment.get_kind_display().lower()}). Small things count!"


COMMANDS: dict[str, Callable[[User, str], str]] = {
    "ask": _ask,
    "accept": _accept,
    "decline": _decline,
    "kudos": _kudos,
    "moment": _moment,
}
