"""A person's own export of their sessions: what they may read on the session pages, and nothing more.

The private notes in it are the exporter's own: the other participant's never leave their account. The
private feedback to a mentor is in the export of the two people who may read it (its author and the
mentor), like on the debrief page.
"""

from __future__ import annotations

from django.db.models import Prefetch

from openhelp.help.mentoring.models import AgendaStep, PrivateNote, Session


def export_for(user) -> dict:
    sessions = (
        Session.objects.involving(user)
        .select_related("mentee__profile", "mentor__profile", "shared_note", "debrief")
        .prefetch_related(
            "skills",
            Prefetch("steps", queryset=AgendaStep.objects.order_by("position", "pk")),
            Prefetch("private_notes", queryset=PrivateNote.objects.filter(author=user), to_attr="mine"),
        )
        .order_by("created_at", "pk")
    )
    return {"sessions": [_session(session, user) for session in sessions]}


def _session(session: Session, user) -> dict:
    shared = getattr(session, "shared_note", None)
    debrief = getattr(session, "debrief", None)
    mine = session.mine[0].body if session.mine else ""
    row = {
        "id": session.pk,
        "title": session.title,
        "role": "mentee" if user.pk == session.mentee_id else "mentor",
        "with": session.other_side(user).display_name,
        "format": session.format,
        "state": session.state,
        "starts_at": session.starts_at.isoformat() if session.starts_at else None,
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        "place": session.place,
        "objective": session.objective,
        "preparation_questions": session.preparation_questions,
        "skills": [skill.name for skill in session.skills.all()],
        "agenda": [{"title": step.title, "done": step.is_done} for step in session.steps.all()],
        "shared_notes": shared.body if shared else "",
        "my_private_notes": mine,
        "debrief": None,
    }
    if debrief is not None:
        row["debrief"] = {
            "takeaways": debrief.takeaways,
            "resources": debrief.resources,
            "outcome": debrief.outcome,
            "rating": debrief.rating,
            "feedback_to_mentor": debrief.feedback_to_mentor,
        }
    return row
