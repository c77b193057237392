"""Keeping the help-link roll-up in step with sessions, kudos and introductions.

Receivers run no query: they queue ``network.tasks.refresh_help_links`` for the pairs a change touched,
once the transaction commits (a rolled-back change queues nothing). A session is completed in three
ways — its own ``save()``, and conditional ``UPDATE``s when attendance is reported or a debrief filled
in, which send no signal — so the ``Attendance`` and ``Debrief`` rows written alongside those updates are
listened to as well; the task reads the session's state after the commit. ``manage.py rebuild_network``
re-derives everything if a change ever bypasses all of these.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from lib.tasks import enqueue_on_commit


def _queue(*, pairs=(), session_ids=()) -> None:
    from network.tasks import refresh_help_links

    enqueue_on_commit(refresh_help_links, pairs=[list(pair) for pair in pairs], session_ids=list(session_ids))


# A session save touching none of these (agenda, reminders, notes) cannot change its help link.
SESSION_FIELDS = {"state", "completed_at", "starts_at", "mentor", "mentee", "mentor_id", "mentee_id"}


def _session_changed(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not SESSION_FIELDS & set(update_fields):
        return
    if not raw:
        _queue(pairs=[(instance.mentor_id, instance.mentee_id)])


def _session_part_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _queue(session_ids=[instance.session_id])


def _kudos_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _queue(pairs=[(instance.receiver_id, instance.giver_id)])


def _introduction_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _queue(
            pairs=[(instance.introducer_id, instance.first_id), (instance.introducer_id, instance.second_id)]
        )


def connect() -> None:
    from mentoring.models import Attendance, Debrief, Session
    from moments.models import Introduction
    from recognition.models import Kudos

    for model, receiver in (
        (Session, _session_changed),
        (Kudos, _kudos_changed),
        (Introduction, _introduction_changed),
    ):
        uid = f"network.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.deleted")
    for model in (Attendance, Debrief):
        post_save.connect(
            _session_part_saved, sender=model, dispatch_uid=f"network.{model._meta.label_lower}"
        )
