"""Background work of sessions: the one debrief reminder.

A booking's session is kept in step by office hours (``openhelp.help.officehours.sessions.sync_booking_session_task``).

The debrief reminder task takes a session id and re-reads everything (a booked session reads its booking,
whose own sync may still be queued): a session that was cancelled, debriefed, reported
as a no-show or already reminded gets nothing. A session whose time moved later finds itself early and
schedules itself again. ``debrief_reminder_sent_at`` is claimed with a conditional UPDATE, so however
many times the task was queued (every time change queues one), the reminder goes out at most once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse

from openhelp.help.mentoring.models import Attendance, AttendanceKind, Debrief, Session, SessionState
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import background_task, enqueue_on_commit
from openhelp.platform.notifications.services import notify

logger = logging.getLogger(__name__)

# After a call: soon enough that it is fresh, late enough not to interrupt. An async session has no end
# by the clock, so it gets a few days.
AFTER_CALL = dt.timedelta(hours=2)
AFTER_ASYNC = dt.timedelta(days=3)


def debrief_due_at(session) -> dt.datetime | None:
    if session.is_async:
        return session.created_at + AFTER_ASYNC
    if session.ends_at is None:
        return None
    return session.ends_at + AFTER_CALL


@background_task()
def remind_debrief_task(session_id: int) -> str:
    return remind_debrief(session_id=session_id)


def schedule_debrief_reminder(session) -> None:
    due = debrief_due_at(session)
    if due is None or session.debrief_reminder_sent_at is not None:
        return
    if not remind_debrief_task.get_backend().supports_defer:
        logger.warning("Task backend cannot defer; debrief reminder for session %s skipped", session.pk)
        return
    enqueue_on_commit(remind_debrief_task, session.pk, run_after=due)


def remind_debrief(*, session_id: int) -> str:

    sessions = Session.objects.select_related("mentee__profile", "mentor__profile")
    session = sessions.filter(pk=session_id).first()
    if session is None or session.state == SessionState.CANCELLED:
        return "nothing to do"
    booking = session.booking if session.booking_id is not None else None
    if booking is not None:
        # The booking's latest change may still wait in the queue (its sync task): read the booking itself,
        # through the relation office hours declares, so a cancelled or moved booking is seen now.
        if not booking.is_confirmed:
            return "nothing to do"
        session.ends_at = booking.end
    if session.debrief_reminder_sent_at is not None:
        return "already reminded"
    debrief = Debrief.objects.filter(session=session).first()
    if debrief is not None and (debrief.outcome or debrief.takeaways):
        return "already debriefed"
    if Attendance.objects.filter(session=session, kind=AttendanceKind.NO_SHOW).exists():
        return "did not take place"
    due = debrief_due_at(session)
    if due is None:
        return "nothing to do"
    if now() < due:
        schedule_debrief_reminder(session)
        return "not yet"
    claimed = Session.objects.filter(pk=session.pk, debrief_reminder_sent_at__isnull=True).update(
        debrief_reminder_sent_at=now()
    )
    if claimed != 1:
        return "already reminded"
    notify(
        event="session.debrief_reminder",
        recipients=[session.mentee, session.mentor],
        title=f"Two minutes on “{session.title}”?",
        body="Jot down the takeaways and resources while they are fresh, and say how it went. "
        "This is the only reminder.",
        url=reverse("mentoring:debrief", args=[session.pk]),
        context={"session_id": session.pk},
        dedupe_key=f"session:{session.pk}:debrief-reminder",
    )
    return "reminded"
