"""The rules an ask's fields obey, shared by the web form, the API serializer and the services.

Forms and serializers check early for a message next to the field; ``clean_ask_fields`` checks again in
the service, because the service is the one door every change goes through.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from openhelp.directory.people.models import Block
from openhelp.help.asks.models import AskFormat, Urgency
from openhelp.platform.lib.clock import local_now

MAX_TITLE = 120
MAX_OBJECTIVE = 300
MAX_CONTEXT = 10_000
MAX_QUESTION = 300
MAX_QUESTIONS = 5
MAX_SKILLS = 5
MAX_CO_ASKERS = 4
MAX_MESSAGE = 10_000
MAX_REASON = 300
MAX_PLACE = 300


def _text(errors: dict, field: str, value: Any, *, limit: int, required: bool, what: str) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = [f"Enter {what}."]
    elif len(text) > limit:
        errors[field] = [f"Keep {what} under {limit} characters (it has {len(text)})."]
    return text


def clean_questions(errors: dict, questions: Iterable[str] | None) -> list[str]:
    cleaned = [q.strip() for q in (questions or []) if q and q.strip()]
    if not cleaned:
        errors["preparation_questions"] = ["Add at least one preparation question for your expert."]
    elif len(cleaned) > MAX_QUESTIONS:
        errors["preparation_questions"] = [f"Keep it to {MAX_QUESTIONS} preparation questions at most."]
    elif any(len(q) > MAX_QUESTION for q in cleaned):
        errors["preparation_questions"] = [f"Keep each question under {MAX_QUESTION} characters."]
    return cleaned


def clean_skills(errors: dict, skills: Iterable | None, *, mentee) -> list:
    unique = list({skill.pk: skill for skill in (skills or [])}.values())
    if not unique:
        errors["skills"] = ["Choose at least one skill, so we can find the right experts."]
    elif len(unique) > MAX_SKILLS:
        errors["skills"] = [f"Choose at most {MAX_SKILLS} skills: a focused ask finds help faster."]
    elif any(not s.is_public and s.proposed_by_id != mentee.pk for s in unique):
        errors["skills"] = ["One of these skills is waiting for approval and cannot be used yet."]
    return unique


def clean_people(errors: dict, *, mentee, directed_to, co_askers: Iterable | None) -> list:
    if directed_to is not None:
        if directed_to.pk == mentee.pk:
            errors["directed_to"] = ["You cannot ask yourself; choose someone else or let us route it."]
        elif not directed_to.is_active:
            errors["directed_to"] = ["This person is no longer on the platform."]
        elif (
            Block.objects.filter(blocker=mentee, blocked=directed_to).exists()
            or Block.objects.filter(blocker=directed_to, blocked=mentee).exists()
        ):
            errors["directed_to"] = ["You cannot ask this person directly."]
    unique = list({user.pk: user for user in (co_askers or [])}.values())
    if len(unique) > MAX_CO_ASKERS:
        errors["co_askers"] = [f"Add at most {MAX_CO_ASKERS} co-askers."]
    elif any(user.pk == mentee.pk for user in unique):
        errors["co_askers"] = ["You are already on this ask; add your teammates instead."]
    elif directed_to is not None and any(user.pk == directed_to.pk for user in unique):
        errors["co_askers"] = ["The person you are asking cannot also be a co-asker."]
    elif any(not user.is_active for user in unique):
        errors["co_askers"] = ["One of these people is no longer on the platform."]
    return unique


def clean_needed_by(errors: dict, needed_by: dt.date | None, *, mentee) -> dt.date | None:
    if needed_by is None:
        return None
    profile = getattr(mentee, "profile", None)
    today = local_now(profile.timezone if profile is not None else "UTC").date()
    if needed_by < today:
        errors["needed_by"] = ["Choose today or a later date."]
    return needed_by


TEXTS = {
    "title": (MAX_TITLE, False, "a short title"),
    "objective": (MAX_OBJECTIVE, True, "what you will be able to do by the end"),
    "context": (MAX_CONTEXT, False, "the context"),
}
CHOICES = {
    "format": (AskFormat.values, "Choose an async answer or a 15-, 30- or 60-minute call."),
    "urgency": (Urgency.values, "Choose today, this week or flexible."),
}


def _clean_simple(errors: dict, data: dict[str, Any], cleaned: dict[str, Any]) -> None:
    for field, (limit, required, what) in TEXTS.items():
        if field in data:
            cleaned[field] = _text(errors, field, data[field], limit=limit, required=required, what=what)
    for field, (values, message) in CHOICES.items():
        if field in data:
            cleaned[field] = data[field]
            if data[field] not in values:
                errors[field] = [message]
    if "languages" in data:
        cleaned["languages"] = list({lang.pk: lang for lang in data["languages"] or []}.values())
    if "wants_known_mentor" in data:
        cleaned["wants_known_mentor"] = bool(data["wants_known_mentor"])


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def title_from_objective(objective: str) -> str:
    """The title of an ask written without one: the objective's first sentence, capitalised, cut at a word
    to fit MAX_TITLE ("…"). The objective itself is kept whole; the title only names the ask in lists."""
    text = _SENTENCE_END.split(" ".join(objective.split()), maxsplit=1)[0].rstrip(".").strip()
    text = text[:1].upper() + text[1:]
    if len(text) <= MAX_TITLE:
        return text
    cut = text[: MAX_TITLE - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


def clean_ask_fields(data: dict[str, Any], *, mentee, objective: str = "") -> dict[str, Any]:
    """Check and normalise the fields present in ``data``; raise one ValidationError naming every field.

    A title left empty is taken from the objective (``data``'s, else ``objective``: the ask's own)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    _clean_simple(errors, data, cleaned)
    if "title" in cleaned and not cleaned["title"]:
        source = cleaned.get("objective", objective) if "objective" in data else objective
        if source:
            cleaned["title"] = title_from_objective(source)
        elif "objective" not in errors:
            errors["title"] = ["Enter a short title, or the objective it can be taken from."]
    if "preparation_questions" in data:
        cleaned["preparation_questions"] = clean_questions(errors, data["preparation_questions"])
    if "skills" in data:
        cleaned["skills"] = clean_skills(errors, data["skills"], mentee=mentee)
    if "needed_by" in data:
        cleaned["needed_by"] = clean_needed_by(errors, data["needed_by"], mentee=mentee)
    if "directed_to" in data or "co_askers" in data:
        co_askers = clean_people(
            errors, mentee=mentee, directed_to=data.get("directed_to"), co_askers=data.get("co_askers")
        )
        if "directed_to" in data:
            cleaned["directed_to"] = data["directed_to"]
        if "co_askers" in data:
            cleaned["co_askers"] = co_askers
    if errors:
        raise ValidationError(errors)
    return cleaned
