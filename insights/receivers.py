"""Receivers that keep the roll-ups current without editing the apps they watch.

Every save or delete of an ask, its timeline, a session, a debrief, an attendance statement or a moment
marks the UTC day it counts on as dirty (a ``DirtyDay`` row written in the same transaction, so a
rollback un-marks it) and, once the transaction commits, queues one ``refresh_insights_task``.
Ask state changes are ``UPDATE``s without ``post_save``, but each one writes an ``AskEvent``; that save
is what marks the ask's day. A person changing team marks every day they took part in.

Nothing runs when a model is *loaded*: what a change moved away from (a session's previous day, a
profile's previous team) is read from the database in ``pre_save``, only when the save can change it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from insights.models import DirtyDay
from insights.rollup import utc_day

_PREVIOUS_DAY = "_insights_previous_day"
_PREVIOUS_TEAM = "_insights_previous_team_id"


def mark_days(days) -> None:
    days = {day for day in days if day is not None}
    if not days:
        return
    DirtyDay.objects.bulk_create([DirtyDay(day=day) for day in sorted(days)])
    if not _refresh_already_queued():
        transaction.on_commit(_queue_refresh)


def _queue_refresh() -> None:
    from insights.tasks import refresh_insights_task

    refresh_insights_task.enqueue()


def _refresh_already_queued() -> bool:
    """One refresh per transaction is enough: it reads every day marked before it runs."""
    if not connection.in_atomic_block:
        return False
    return any(getattr(entry[1], "__name__", "") == "_queue_refresh" for entry in connection.run_on_commit)


# --- day of each object -----------------------------------------------------------------------------------


def _session_day(session) -> dt.date | None:
    moment = session.starts_at or session.created_at
    return utc_day(moment) if moment else None


def _saved_row(instance, update_fields, watched: set[str]):
    """The row as it is in the database before this save, when the save may change ``watched``
    (None for a new row or a save that leaves them alone)."""
    if instance._state.adding or instance.pk is None:
        return None
    if update_fields is not None and not watched & set(update_fields):
        return None
    return type(instance)._base_manager.filter(pk=instance.pk)


def _read_session_day(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    rows = None if raw else _saved_row(instance, update_fields, {"starts_at", "created_at"})
    moment = rows.values_list("starts_at", "created_at").first() if rows is not None else None
    setattr(instance, _PREVIOUS_DAY, utc_day(moment[0] or moment[1]) if moment else None)


def _on_ask(sender, instance, **kwargs) -> None:
    mark_days([utc_day(instance.created_at)])


def _on_ask_event(sender, instance, **kwargs) -> None:
    from asks.models import Ask

    ask = instance._state.fields_cache.get("ask")  # the caller's ask object, when it passed one
    created = ask.created_at if ask is not None else None
    if created is None:
        created = Ask.objects.filter(pk=instance.ask_id).values_list("created_at", flat=True).first()
    mark_days([utc_day(created)] if created else [])


def _on_ask_skills(sender, instance, action, pk_set=None, **kwargs) -> None:
    if action.startswith("post_") and getattr(instance, "created_at", None):
        mark_days([utc_day(instance.created_at)])


def _on_session(sender, instance, **kwargs) -> None:
    mark_days([_session_day(instance), instance.__dict__.pop(_PREVIOUS_DAY, None)])


def _on_session_child(sender, instance, **kwargs) -> None:
    """A debrief or an attendance statement: the session's day (its state may have changed too)."""
    from mentoring.models import Session

    session = instance._state.fields_cache.get("session")
    if session is not None and session.created_at:
        mark_days([_session_day(session)])
        return
    moment = Session.objects.filter(pk=instance.session_id).values_list("starts_at", "created_at").first()
    if moment:
        mark_days([utc_day(moment[0] or moment[1])])


def _on_moment(sender, instance, **kwargs) -> None:
    mark_days([utc_day(instance.created_at)])


def _read_team(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    rows = None if raw else _saved_row(instance, update_fields, {"team", "team_id"})
    team = rows.values_list("team_id", flat=True).first() if rows is not None else instance.team_id
    setattr(instance, _PREVIOUS_TEAM, team)


def _on_profile(sender, instance, created=False, **kwargs) -> None:
    """A new profile without a team changes nothing (no profile counts as no team); a team change
    re-counts every week the person took part in (their roll-up weeks; pending days are dirty anyway)."""
    before = instance.__dict__.pop(_PREVIOUS_TEAM, instance.team_id)
    if created:
        before = None
    if before == instance.team_id:
        return
    mark_days(days_of_person(instance.user_id))


def _on_team_deleted(sender, instance, **kwargs) -> None:
    # Profiles are moved to "no team" by SET NULL, without signals: every day they counted on changes.
    from insights.models import AskDay, PersonWeek, SessionDay

    days = set(AskDay.objects.filter(team_id=instance.pk).values_list("day", flat=True).distinct())
    days |= set(SessionDay.objects.filter(team_id=instance.pk).values_list("day", flat=True).distinct())
    for week in PersonWeek.objects.filter(team_id=instance.pk).values_list("week", flat=True).distinct():
        days |= {week + dt.timedelta(days=i) for i in range(7)}
    mark_days(days)


def days_of_person(user_id: int) -> set[dt.date]:
    """Every day of every week this person appears in the roll-ups, plus the days of their cancelled
    sessions as mentee (counted by the mentee's team but absent from ``PersonWeek``): two queries."""
    from insights.models import PersonWeek
    from mentoring.models import Session, SessionState

    weeks = PersonWeek.objects.filter(user_id=user_id).values_list("week", flat=True).distinct()
    days = {week + dt.timedelta(days=i) for week in weeks for i in range(7)}
    cancelled = Session.objects.filter(mentee_id=user_id, state=SessionState.CANCELLED)
    days |= {utc_day(start or created) for start, created in cancelled.values_list("starts_at", "created_at")}
    return days


def connect() -> None:
    from asks.models import Ask, AskEvent
    from mentoring.models import Attendance, Debrief, Session
    from moments.models import Moment
    from people.models import Profile, Team

    uid = "insights"
    post_save.connect(_on_ask, sender=Ask, dispatch_uid=f"{uid}-ask-save")
    post_delete.connect(_on_ask, sender=Ask, dispatch_uid=f"{uid}-ask-delete")
    post_save.connect(_on_ask_event, sender=AskEvent, dispatch_uid=f"{uid}-askevent-save")
    m2m_changed.connect(_on_ask_skills, sender=Ask.skills.through, dispatch_uid=f"{uid}-ask-skills")
    pre_save.connect(_read_session_day, sender=Session, dispatch_uid=f"{uid}-session-pre-save")
    post_save.connect(_on_session, sender=Session, dispatch_uid=f"{uid}-session-save")
    post_delete.connect(_on_session, sender=Session, dispatch_uid=f"{uid}-session-delete")
    for model in (Debrief, Attendance):
        post_save.connect(_on_session_child, sender=model, dispatch_uid=f"{uid}-{model.__name__}-save")
        post_delete.connect(_on_session_child, sender=model, dispatch_uid=f"{uid}-{model.__name__}-delete")
    post_save.connect(_on_moment, sender=Moment, dispatch_uid=f"{uid}-moment-save")
    post_delete.connect(_on_moment, sender=Moment, dispatch_uid=f"{uid}-moment-delete")
    pre_save.connect(_read_team, sender=Profile, dispatch_uid=f"{uid}-profile-pre-save")
    post_save.connect(_on_profile, sender=Profile, dispatch_uid=f"{uid}-profile-save")
    post_delete.connect(_on_team_deleted, sender=Team, dispatch_uid=f"{uid}-team-delete")
