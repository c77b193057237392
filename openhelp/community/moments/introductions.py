"""Introductions with a double opt-in: A introduces B to C with a note; both must accept.

Once both accept they are connected and a thread opens between them. A decline is quiet and polite: the
introduction closes as "not this time" for everyone, the introducer is never told who declined, and
nobody gets an e-mail about it unless they asked for one. Making an introduction counts as a moment
for the introducer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from openhelp.community.moments.models import (
    MAX_INTRODUCTION_NOTE,
    MAX_MESSAGE,
    Answer,
    Introduction,
    IntroductionMessage,
    IntroductionState,
    MomentKind,
)
from openhelp.community.moments.services import log_moment
from openhelp.community.moments.tasks import expire_introduction_task
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.notifications.services import notify
from openhelp.platform.outbox.events import record

NOT_THIS_TIME = "Not this time — thank you for thinking of them."


def introductions_per_day() -> int:
    return int(getattr(settings, "INTRODUCTIONS_PER_DAY", 10))


def expires_after() -> dt.timedelta:
    """An introduction nobody has settled after this long closes quietly ("not this time")."""
    return dt.timedelta(days=settings.INTRODUCTION_EXPIRES_DAYS)


class IntroductionConflict(Exception):
    """A valid step the introduction's state no longer allows (already answered, closed, not connected)."""


class IntroductionsRateLimited(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            f"You have made {introductions_per_day()} introductions today. Please wait until tomorrow.",
            code="rate_limited",
        )


def _counter_key(user) -> str:
    return f"moments:introductions:{user.pk}:{now().date().isoformat()}"


def _url(introduction: Introduction) -> str:
    return reverse("moments:introduction", args=[introduction.pk])


def open_between(first, second) -> QuerySet[Introduction]:
    """Pending or connected introductions of these two people, in either order."""
    pair = Q(first=first, second=second) | Q(first=second, second=first)
    return Introduction.objects.filter(pair).exclude(state=IntroductionState.NOT_THIS_TIME)


def check_introduction(*, introducer, first, second, note: str) -> str:
    """Validate an introduction; returns the cleaned note. Errors name the field (first, second, note)."""
    errors: dict[str, str] = {}
    note = (note or "").strip()
    for name, person in (("first", first), ("second", second)):
        if person is None or not person.is_active:
            errors[name] = "Choose someone who is on the platform."
        elif person.pk == introducer.pk:
            errors[name] = "Introduce two other people — not yourself."
    if "first" not in errors and "second" not in errors:
        if first.pk == second.pk:
            errors["second"] = "Choose two different people."
        elif open_between(first, second).exists():
            errors["second"] = (
                f"{first.display_name} and {second.display_name} already have an introduction "
                "waiting or are already connected."
            )
    if not note:
        errors["note"] = "Add a note: why should these two meet?"
    elif len(note) > MAX_INTRODUCTION_NOTE:
        errors["note"] = f"Keep the note under {MAX_INTRODUCTION_NOTE} characters (it has {len(note)})."
    if errors:
        raise ValidationError(errors)
    return note


def _count_introduction(introducer) -> None:
    ratelimit.count(_counter_key(introducer), window_seconds=24 * 3600)


def introduce(*, introducer, first, second, note: str) -> Introduction:
    """A introduces B (``first``) to C (``second``) with a note; both are asked to accept.

    Field errors: first/second (missing, the same person, yourself, already introduced), note; and
    ``IntroductionsRateLimited`` after ``introductions_per_day()`` introductions today.
    """
    note = check_introduction(introducer=introducer, first=first, second=second, note=note)
    if ratelimit.remaining(_counter_key(introducer), limit=introductions_per_day()) <= 0:
        raise IntroductionsRateLimited()
    with transaction.atomic():
        introduction = Introduction.objects.create(
            introducer=introducer, first=first, second=second, note=note
        )
        record(
            "introduction.made",
            actor=introducer,
            introduction=introduction.pk,
            introducer=introducer.pk,
            first=first.pk,
            second=second.pk,
        )
        log_moment(
            author=introducer,
            kind=MomentKind.INTRODUCTION,
            note=f"Introduced {first.display_name} to {second.display_name}"[:200],
            person=first,
            introduction=introduction,
        )
        for invitee, other in ((first, second), (second, first)):
            notify(
                event="introduction.received",
                recipients=[invitee],
                title=f"{introducer.display_name} would like you to meet {other.display_name}",
                body=note,
                url=_url(introduction),
                context={"introducer": introducer.display_name, "other": other.display_name},
                dedupe_key=f"introduction:{introduction.pk}",
            )

        enqueue_on_commit(
            expire_introduction_task,
            introduction.pk,
            run_after=introduction.created_at + expires_after(),
        )
    _count_introduction(introducer)
    return introduction


def expire_introduction(*, introduction_id: int) -> str:
    """Close an introduction still waiting after settings.INTRODUCTION_EXPIRES_DAYS; safe to run twice or late."""
    with transaction.atomic():
        intro = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("introducer__profile", "first__profile", "second__profile")
            .filter(pk=introduction_id)
            .first()
        )
        if intro is None or not intro.is_pending:
            return "skipped"
        if now() < intro.created_at + expires_after():
            return "not due"
        intro.state, intro.closed_at = IntroductionState.NOT_THIS_TIME, now()
        intro.save(update_fields=["state", "closed_at"])
        # The same neutral words as a decline, to all three: nothing says who did not answer.
        notify(
            event="introduction.not_this_time",
            recipients=[intro.introducer, intro.first, intro.second],
            title=(
                f"An introduction did not go ahead: {intro.first.display_name} and {intro.second.display_name}"
            ),
            body=f"It waited {expires_after().days} days without both answers. {NOT_THIS_TIME}",
            url=_url(intro),
            dedupe_key=f"introduction:{intro.pk}",
        )
    return "expired"


def answer(*, introduction: Introduction, person, accept: bool) -> Introduction:
    """One invitee accepts or declines. Both accepting connects them; one decline closes it quietly.

    The row is locked while answering, so two people accepting at the same moment always connect.
    """
    if not introduction.is_invitee(person):
        raise PermissionDenied("Only the two people introduced can answer.")
    with transaction.atomic():
        return _record_answer(
            Introduction.objects.select_for_update().get(pk=introduction.pk), person=person, accept=accept
        )


def _record_answer(intro: Introduction, *, person, accept: bool) -> Introduction:
    if not intro.is_pending:
        raise IntroductionConflict("This introduction has already been settled.")
    field = "first_answer" if person.pk == intro.first_id else "second_answer"
    if getattr(intro, field) != Answer.PENDING:
        raise IntroductionConflict("You have already answered this introduction.")
    setattr(intro, field, Answer.ACCEPTED if accept else Answer.DECLINED)
    fields = [field]
    if not accept:
        intro.state, intro.closed_at = IntroductionState.NOT_THIS_TIME, now()
        fields += ["state", "closed_at"]
    elif intro.first_answer == intro.second_answer == Answer.ACCEPTED:
        intro.state, intro.connected_at = IntroductionState.CONNECTED, now()
        fields += ["state", "connected_at"]
    intro.save(update_fields=fields)
    if intro.state == IntroductionState.CONNECTED:
        record(
            "introduction.connected",
            actor=person,
            introduction=intro.pk,
            introducer=intro.introducer_id,
            first=intro.first_id,
            second=intro.second_id,
        )
        _tell_connected(intro)
    elif intro.state == IntroductionState.NOT_THIS_TIME:
        _tell_not_this_time(intro, decliner=person)
    return intro


def _tell_connected(intro: Introduction) -> None:
    people = (intro.first, intro.second)
    for person, other in (people, people[::-1]):
        notify(
            event="introduction.accepted",
            recipients=[person],
            title=f"You and {other.display_name} are connected",
            body="You both accepted. Say hello in your conversation.",
            url=_url(intro),
            dedupe_key=f"introduction:{intro.pk}",
        )
    notify(
        event="introduction.accepted",
        recipients=[intro.introducer],
        title=f"{intro.first.display_name} and {intro.second.display_name} are connected",
        body="Both accepted your introduction. Thank you for bringing them together.",
        url=_url(intro),
        dedupe_key=f"introduction:{intro.pk}",
    )


def _tell_not_this_time(intro: Introduction, *, decliner) -> None:
    # Everyone but the decliner hears the same neutral words; nothing says who declined.
    others = [p for p in (intro.introducer, intro.first, intro.second) if p.pk != decliner.pk]
    notify(
        event="introduction.not_this_time",
        recipients=others,
        title=f"An introduction did not go ahead: {intro.first.display_name} and {intro.second.display_name}",
        body=NOT_THIS_TIME,
        url=_url(intro),
        dedupe_key=f"introduction:{intro.pk}",
    )


def post_message(*, introduction: Introduction, author, body: str) -> IntroductionMessage:
    """A message in the thread of a connected introduction, between the two people introduced."""
    if not introduction.is_invitee(author):
        raise PermissionDenied("Only the two people introduced write in this conversation.")
    if not introduction.is_connected:
        raise IntroductionConflict("The conversation opens once both of you have accepted.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    if len(body) > MAX_MESSAGE:
        raise ValidationError(
            {"body": f"Keep messages under {MAX_MESSAGE} characters (this has {len(body)})."}
        )
    with transaction.atomic():
        message = IntroductionMessage.objects.create(introduction=introduction, author=author, body=body)
        other = introduction.other_invitee(author)
        notify(
            event="introduction.message",
            recipients=[other],
            title=f"{author.display_name} wrote to you",
            body=body[:300],
            url=_url(introduction),
            dedupe_key=f"introduction-message:{message.pk}",
        )
    return message


def introductions_for(*, user) -> QuerySet[Introduction]:
    return Introduction.objects.involving(user).select_related(
        "introducer__profile", "first__profile", "second__profile"
    )


def status_for(introduction: Introduction, viewer) -> str:
    """What this viewer is told about where the introduction stands (never another person's answer)."""
    if introduction.is_connected:
        return "Connected"
    if introduction.state == IntroductionState.NOT_THIS_TIME:
        return "Not this time"
    own = introduction.answer_of(viewer)
    if own == Answer.ACCEPTED:
        return "You accepted — waiting for the other person"
    if own == Answer.PENDING:
        return "Waiting for your answer"
    return "Waiting for both to accept"
