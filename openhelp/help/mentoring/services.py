"""Sessions: made from accepted asks and bookings and kept in step with them; the plan (objective,
preparation, agenda) and the notes, shared and private.

Debriefs live in mentoring.debriefs, attendance, reliability and the no-show pause in
mentoring.attendance (``booking_paused_reason`` is re-exported here for the booking flow). A session
changes state only through mentoring.lifecycle (``SessionConflict`` is re-exported here).

A person who is not a participant gets ``PermissionDenied`` (views answer 404 before it comes to that);
bad input gets a ``ValidationError`` naming the field; a step the session's state does not allow raises
``SessionConflict``; a shared-notes save from an outdated version raises ``SharedNotesConflict`` carrying
both texts, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from openhelp.help.asks.models import Ask, AskFormat, AskState
from openhelp.help.mentoring import agenda, lifecycle
from openhelp.help.mentoring.attendance import booking_paused_reason  # noqa: F401 - part of this module's interface
from openhelp.help.mentoring.lifecycle import SessionConflict
from openhelp.help.mentoring.models import (
    MAX_NOTES,
    AgendaStep,
    PrivateNote,
    Session,
    SessionFormat,
    SharedNote,
)
from openhelp.help.mentoring.tasks import schedule_debrief_reminder
from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.directory.skills.models import Skill
    from openhelp.platform.accounts.models import User

ASK_MINUTES: dict[str, int] = {AskFormat.CALL_15: 15, AskFormat.CALL_30: 30, AskFormat.CALL_60: 60}
MAX_OBJECTIVE = 300
MAX_QUESTIONS = 5
MAX_QUESTION = 300
MAX_STEP_TITLE = 120
MAX_STEPS = 12


class SharedNotesConflict(SessionConflict):
    """Someone saved the shared notes since this person started editing. Nothing was overwritten."""

    def __init__(self, *, current: SharedNote, yours: str):
        self.current = current
        self.yours = yours
        who = current.updated_by.display_name if current.updated_by else "The other person"
        super().__init__(
            f"{who} saved the notes while you were writing. Nothing was lost: both versions are shown "
            "below — merge them and save again."
        )


def require_participant(session: Session, user: User) -> None:
    if not session.is_participant(user):
        raise PermissionDenied("Only the two people in this session can do that.")


def sessions_for(user: User) -> QuerySet[Session]:
    """A person's sessions, ready for a list (constant queries whatever their number)."""
    return (
        Session.objects.involving(user)
        .select_related("mentee__profile", "mentor__profile")
        .prefetch_related("skills")
    )


def search_sessions(sessions: QuerySet[Session], query: str) -> QuerySet[Session]:
    """Title, objective, skills and shared notes. Never private notes, never debrief feedback."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return sessions
    match = (
        Q(title__icontains=query)
        | Q(objective__icontains=query)
        | Q(skills__name__icontains=query)
        | Q(shared_note__body__icontains=query)
    )
    return sessions.filter(pk__in=Session.objects.filter(match).values("pk"))


# --- Made from an ask or a booking ------------------------------------------------------------------


def follow_ask_after_commit(*, ask_id: int) -> None:
    """Bring the session of an ask in step once the caller's transaction commits, for every workflow
    that accepts, schedules, reschedules, completes or cancels an ask.

    After the commit, so a rolled-back change leaves no session behind; ``robust``, so a failure here
    cannot turn the ask's own successful change into an error page (the next change repairs it).
    """
    transaction.on_commit(lambda: sync_from_ask(ask_id=ask_id), robust=True)


def sync_from_ask(*, ask_id: int) -> Session | None:
    ask = Ask.objects.filter(pk=ask_id).first()
    return session_for_ask(ask) if ask is not None else None


def release_ask(*, ask_id: int) -> None:
    """The ask's helper left: its planned session is cancelled and unlinked from the ask (it stays in both
    people's history), so whoever accepts the ask next gets a session of their own."""
    session = Session.objects.select_for_update().filter(ask_id=ask_id).first()
    if session is None:
        return
    lifecycle.cancel_session(session=session)
    Session.objects.filter(pk=session.pk).update(ask=None, updated_at=now())


def session_for_ask(ask: Ask) -> Session | None:
    """The session of an accepted ask: made the first time (idempotent), brought up to date after.

    None while nobody has accepted the ask, or when it ended before a session was ever made.
    """
    ask = Ask.objects.select_related("mentee", "helper").get(pk=ask.pk)
    if ask.helper_id is None or ask.helper_id == ask.mentee_id:
        return None
    session = Session.objects.filter(ask=ask).first()
    if session is None:
        if ask.state in {AskState.CANCELLED, AskState.EXPIRED}:
            return None
        is_async = ask.format == AskFormat.ASYNC
        minutes = ASK_MINUTES.get(ask.format)
        session = create_session(
            {"ask": ask},
            mentee=ask.mentee,
            mentor=ask.helper,
            title=ask.title,
            format=SessionFormat.ASYNC if is_async else SessionFormat.CALL,
            planned_minutes=minutes,
            objective=ask.objective,
            preparation_questions=list(ask.preparation_questions or []),
            skills=list(ask.skills.all()),
        )
    _apply_ask(session, ask)
    return session


def create_session(unique: dict[str, Any], *, skills: list[Skill], **fields: Any) -> Session:
    """Create once: a second process making the same session at the same moment gets the first one."""
    try:
        with transaction.atomic():
            session = Session.objects.create(**unique, **fields)
            session.skills.set(skills)
            template = agenda.default_template(is_async=fields["format"] == SessionFormat.ASYNC)
            _replace_steps(session, template)
            SharedNote.objects.create(session=session)
            record("session.opened", session=session.pk, mentor=session.mentor_id, mentee=session.mentee_id)
    except IntegrityError:
        return Session.objects.get(**unique)
    if session.is_async:
        schedule_debrief_reminder(session)
    return session


def _apply_ask(session: Session, ask: Ask) -> None:
    changed: list[str] = []
    starts_at = session.starts_at
    booked = session.booking_id is not None and session.booking.is_confirmed  # type: ignore[union-attr]
    if not booked and not session.is_async:
        start = ask.scheduled_for
        end = start + dt.timedelta(minutes=session.planned_minutes or 30) if start else None
        changed += set_fields(session, starts_at=start, ends_at=end, place=ask.scheduled_place or "")
    save_session(session, changed, starts_at=starts_at)
    lifecycle.follow_ask(session=session, ask=ask)


def set_fields(session: Session, **values: Any) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed.append(name)
    return changed


def save_session(session: Session, changed: list[str], *, starts_at: dt.datetime | None) -> None:
    """Save the changed fields; a new start moves the session to another day (``starts_at`` is the old one)."""
    if not changed:
        return
    with transaction.atomic():
        session.save(update_fields=[*changed, "updated_at"])
        if "starts_at" in changed:
            record(
                "session.moved",
                session=session.pk,
                mentor=session.mentor_id,
                mentee=session.mentee_id,
                previous_starts_at=starts_at,
            )
    if "ends_at" in changed and session.ends_at is not None:
        schedule_debrief_reminder(session)


# --- The plan: objective, preparation, agenda --------------------------------------------------------


def update_plan(
    *, session: Session, actor: User, objective: str, preparation_questions: list[str]
) -> Session:
    """Either participant edits the objective and the preparation questions carried over from the ask, until
    the session is over (then SessionConflict)."""
    require_participant(session, actor)
    lifecycle.check_can_edit_plan(session)
    objective = " ".join((objective or "").split())
    questions = [" ".join(q.split()) for q in preparation_questions or [] if q and q.strip()]
    errors: dict[str, list[str]] = {}
    if len(objective) > MAX_OBJECTIVE:
        errors["objective"] = [
            f"Keep the objective under {MAX_OBJECTIVE} characters (it has {len(objective)})."
        ]
    if len(questions) > MAX_QUESTIONS:
        errors["preparation_questions"] = [
            f"Keep it to {MAX_QUESTIONS} questions (there are {len(questions)})."
        ]
    elif any(len(q) > MAX_QUESTION for q in questions):
        errors["preparation_questions"] = [f"Keep each question under {MAX_QUESTION} characters."]
    if errors:
        raise ValidationError(errors)
    session.objective = objective
    session.preparation_questions = questions
    session.save(update_fields=["objective", "preparation_questions", "updated_at"])
    return session


def apply_agenda_template(*, session: Session, actor: User, template: str) -> list[AgendaStep]:
    """Replace the agenda with a template's steps — unless a step is already ticked (that would lose it)."""
    require_participant(session, actor)
    if template not in agenda.TEMPLATES:
        raise ValidationError({"template": ["Choose one of the agenda templates."]})
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if AgendaStep.objects.filter(session=locked, done_at__isnull=False).exists():
            raise SessionConflict(
                "Some steps are already ticked; add a step instead of changing the template."
            )
        steps = _replace_steps(locked, template)
    session.agenda_template = template
    return steps


def _replace_steps(session: Session, template: str) -> list[AgendaStep]:
    AgendaStep.objects.filter(session=session).delete()
    steps = AgendaStep.objects.bulk_create(
        [
            AgendaStep(session=session, position=i, title=title, hint=hint, minutes=minutes)
            for i, (title, hint, minutes) in enumerate(
                agenda.planned_steps(template, minutes=session.planned_minutes)
            )
        ]
    )
    Session.objects.filter(pk=session.pk).update(agenda_template=template, updated_at=now())
    return steps


def add_agenda_step(*, session: Session, actor: User, title: str, minutes: int | None = None) -> AgendaStep:
    require_participant(session, actor)
    title = " ".join((title or "").split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Name the step, e.g. “Try it on my own data”."]
    elif len(title) > MAX_STEP_TITLE:
        errors["title"] = [f"Keep the step under {MAX_STEP_TITLE} characters."]
    if minutes is not None and not 1 <= minutes <= 240:
        errors["minutes"] = ["Minutes go from 1 to 240 (or leave it empty)."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        count = AgendaStep.objects.filter(session=session).count()
        if count >= MAX_STEPS:
            raise ValidationError({"title": [f"An agenda has at most {MAX_STEPS} steps; keep it short."]})
        last = AgendaStep.objects.filter(session=session).order_by("-position").first()
        return AgendaStep.objects.create(
            session=session, position=(last.position + 1) if last else 0, title=title, minutes=minutes
        )


def tick_step(*, session: Session, actor: User, step_id: int, done: bool) -> AgendaStep:
    """Tick (or untick) a step. Ticking twice keeps the first time it was ticked."""
    require_participant(session, actor)
    step = AgendaStep.objects.filter(session=session, pk=step_id).first()
    if step is None:
        raise ValidationError({"step": ["This step is not on the agenda any more; reload the page."]})
    if done:
        AgendaStep.objects.filter(pk=step.pk, done_at__isnull=True).update(done_at=now(), done_by=actor)
    else:
        AgendaStep.objects.filter(pk=step.pk).update(done_at=None, done_by=None)
    step.refresh_from_db()
    return step


# --- Notes -----------------------------------------------------------------------------------------


def _clean_notes(body: str | None, field: str) -> str:
    body = (body or "").replace("\r\n", "\n")
    if len(body) > MAX_NOTES:
        raise ValidationError(
            {field: [f"Notes are limited to {MAX_NOTES:,} characters (these have {len(body):,})."]}
        )
    return body


def shared_note_of(session: Session) -> SharedNote:
    note, _ = SharedNote.objects.select_related("updated_by__profile").get_or_create(session=session)
    return note


def save_shared_notes(*, session: Session, author: User, body: str, version: int | None) -> SharedNote:
    """Save the shared notes if nobody saved since ``version``; otherwise raise SharedNotesConflict.

    One conditional UPDATE (``WHERE version = <theirs>``): of two saves from the same version exactly one
    wins; the other gets both texts back to merge. A save identical to the current text is no conflict.
    """
    require_participant(session, author)
    body = _clean_notes(body, "body")
    if version is None or version < 0:
        raise ValidationError({"version": ["Send the version you started from (reload the page)."]})
    current = shared_note_of(session)
    changed = SharedNote.objects.filter(session=session, version=version).update(
        body=body, version=F("version") + 1, updated_by=author, updated_at=now()
    )
    current = SharedNote.objects.select_related("updated_by__profile").get(pk=current.pk)
    if changed != 1 and current.body != body:
        raise SharedNotesConflict(current=current, yours=body)
    return current


def private_note_of(*, session: Session, user: User) -> PrivateNote | None:
    """The person's own private note on this session — the only way any code reads one."""
    if not session.is_participant(user):
        return None
    return PrivateNote.objects.filter(session=session, author=user).first()


def save_private_note(*, session: Session, author: User, body: str) -> PrivateNote:
    require_participant(session, author)
    body = _clean_notes(body, "body")
    note, _ = PrivateNote.objects.update_or_create(
        session=session, author=author, defaults={"body": body, "updated_at": now()}
    )
    return note
