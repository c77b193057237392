"""Demo sessions and what they leave behind: agenda, shared notes, debrief, attendance, the library entry,
the mentor's endorsement and the mentee's kudos.

A session is written the way ``openhelp.help.mentoring.services.session_for_ask`` / ``session_for_booking`` make it (the
same title, format, planned minutes, agenda template and steps, an empty shared note) and finished the way
``openhelp.help.mentoring.debriefs.record_debrief`` finishes it (a debrief with an outcome completes it; both consents
publish its takeaways through the same fields ``openhelp.directory.library.services.publish_from_debrief`` fills).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo.activity import texts
from openhelp.demo.activity.asks import CALL_MINUTES, AskStory
from openhelp.demo.activity.cast import Person
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.library.services import entry_title, search_text_for
from openhelp.help.asks.models import AskFormat
from openhelp.help.mentoring import agenda
from openhelp.help.mentoring.models import (
    AgendaStep,
    Attendance,
    AttendanceKind,
    Debrief,
    Outcome,
    Session,
    SessionFormat,
    SessionState,
    SharedNote,
)
from openhelp.help.officehours.models import Booking, BookingState


@dataclass
class SessionRows:
    sessions: list[Session] = field(default_factory=list)
    skills: list[tuple[Session, int]] = field(default_factory=list)
    steps: list[AgendaStep] = field(default_factory=list)
    notes: list[SharedNote] = field(default_factory=list)
    debriefs: list[Debrief] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    entries: list[LibraryEntry] = field(default_factory=list)
    entry_skills: list[tuple[LibraryEntry, int]] = field(default_factory=list)
    endorsements: list[Endorsement] = field(default_factory=list)
    kudos: list[Kudos] = field(default_factory=list)


def session_for_story(rows: SessionRows, story: AskStory) -> Session | None:
    """The session ``session_for_ask`` makes once an expert accepts, kept in step with the ask."""
    ask = story.ask
    if story.session_state is None or story.helper is None:
        return None
    is_async = ask.format == AskFormat.ASYNC
    minutes = CALL_MINUTES.get(ask.format)
    session = Session(
        mentee_id=ask.mentee_id,
        mentor_id=story.helper.id,
        ask=ask,
        title=ask.title,
        format=SessionFormat.ASYNC if is_async else SessionFormat.CALL,
        planned_minutes=minutes,
        objective=ask.objective,
        preparation_questions=list(ask.preparation_questions),
        created_at=ask.accepted_at,
        updated_at=ask.updated_at,
    )
    if not is_async and ask.scheduled_for is not None:
        session.starts_at = ask.scheduled_for
        session.ends_at = ask.scheduled_for + dt.timedelta(minutes=minutes or 30)
        session.place = ask.scheduled_place
    if story.session_state == SessionState.CANCELLED:
        session.state, session.cancelled_at = SessionState.CANCELLED, ask.closed_at
    elif story.session_state == SessionState.COMPLETED:
        session.state, session.completed_at = SessionState.COMPLETED, ask.closed_at
    _add(rows, session, story.skill_ids)
    return session


def session_for_booking(rows: SessionRows, booking: Booking, *, skill_ids: list[int], made_at: dt.datetime):
    """The office-hours session ``session_for_booking`` makes when a slot is booked."""
    session = Session(
        mentee_id=booking.mentee_id,
        mentor_id=booking.mentor_id,
        booking=booking,
        title=booking.topic,
        format=SessionFormat.OFFICE_HOURS,
        planned_minutes=booking.minutes,
        preparation_questions=[booking.question.strip()[:300]] if booking.question.strip() else [],
        starts_at=booking.start,
        ends_at=booking.end,
        place=booking.location[:300],
        created_at=made_at,
        updated_at=made_at,
    )
    if booking.state == BookingState.CANCELLED:
        session.state, session.cancelled_at = SessionState.CANCELLED, booking.cancelled_at
    _add(rows, session, skill_ids)
    return session


def _add(rows: SessionRows, session: Session, skill_ids: list[int]) -> None:
    template = agenda.default_template(is_async=session.format == SessionFormat.ASYNC)
    session.agenda_template = template
    rows.sessions.append(session)
    rows.skills.extend((session, skill_id) for skill_id in skill_ids)
    for position, (title, hint, minutes) in enumerate(
        agenda.planned_steps(template, minutes=session.planned_minutes)
    ):
        rows.steps.append(
            AgendaStep(session=session, position=position, title=title, hint=hint, minutes=minutes)
        )
    rows.notes.append(SharedNote(session=session, updated_at=session.created_at))


@dataclass(frozen=True)
class Aftermath:
    """What happens after a finished session, as shares of sessions (the seed decides which ones)."""

    debrief: float = 0.85
    publish: float = 0.4
    endorse: float = 0.35
    kudos: float = 0.45


def finish(
    rng: random.Random,
    rows: SessionRows,
    session: Session,
    *,
    skill_names: dict[int, str],
    skill_ids: list[int],
    mentor: Person,
    moment: dt.datetime,
    odds: Aftermath = Aftermath(),
    force: bool = False,
) -> None:
    """Debrief, attendance, library entry, endorsement and kudos of a session that took place."""
    ended = session.ends_at or session.completed_at or session.created_at
    if ended >= moment:
        return
    debriefed = ended + dt.timedelta(hours=rng.randint(1, 20))
    debriefed = min(debriefed, moment - dt.timedelta(minutes=5))
    if force or rng.random() < odds.debrief:
        takeaways = rng.sample(texts.TAKEAWAYS, k=rng.randint(2, 3))
        resources = rng.sample(texts.RESOURCES, k=rng.randint(0, 2))
        publish = force or rng.random() < odds.publish
        debrief = Debrief(
            session=session,
            takeaways=takeaways,
            resources=resources,
            outcome=rng.choice((Outcome.SOLVED, Outcome.SOLVED, Outcome.SOLVED, Outcome.PARTLY)),
            rating=rng.choices((3, 4, 5), weights=(1, 4, 6))[0],
            feedback_to_mentor=rng.choice(texts.FEEDBACK_TO_MENTOR),
            mentee_consents_to_publish=publish,
            mentor_consents_to_publish=publish,
            published_at=debriefed if publish else None,
            created_at=debriefed,
            updated_at=debriefed,
        )
        rows.debriefs.append(debrief)
        if session.state == SessionState.PLANNED:  # a debrief with an outcome completes the session
            session.state, session.completed_at = SessionState.COMPLETED, debriefed
        if publish:
            names = sorted(skill_names[i] for i in skill_ids)
            title = entry_title([_Named(name) for name in names])
            entry = LibraryEntry(
                debrief=debrief,
                title=title,
                takeaways=takeaways,
                resources=resources,
                mentor_id=session.mentor_id,
                mentee_id=session.mentee_id,
                search_text=search_text_for(title, takeaways, resources),
                published_at=debriefed,
                updated_at=debriefed,
            )
            rows.entries.append(entry)
            rows.entry_skills.extend((entry, i) for i in skill_ids)
    if session.format != SessionFormat.ASYNC and rng.random() < 0.6:
        for reporter in (session.mentee_id, session.mentor_id):
            rows.attendance.append(
                Attendance(
                    session=session, reporter_id=reporter, kind=AttendanceKind.HAPPENED, created_at=debriefed
                )
            )
    endorsable = [i for i in skill_ids if skill_names[i] in mentor.offers]
    if endorsable and (force or rng.random() < odds.endorse):
        rows.endorsements.append(
            Endorsement(
                session=session,
                mentor_id=session.mentor_id,
                mentee_id=session.mentee_id,
                skill_id=endorsable[0],
                created_at=ended,
            )
        )
    if force or rng.random() < odds.kudos:
        rows.kudos.append(
            Kudos(
                giver_id=session.mentee_id,
                receiver_id=session.mentor_id,
                skill_id=skill_ids[0] if skill_ids else None,
                message=rng.choice(texts.KUDOS_MESSAGES),
                public=rng.random() < 0.85,
                session=session,
                created_at=debriefed,
            )
        )


@dataclass(frozen=True)
class _Named:
    name: str
