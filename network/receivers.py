"""Keeping the help-link roll-up in step with sessions, kudos and introductions.

Receivers queue ``network.tasks.refresh_help_links`` for the pairs a change touched, once the transaction
commits (a rolled-back change queues nothing). A session changes state only through
``mentoring.lifecycle``, which saves it (so its ``post_save`` is heard); the ``Attendance`` and
``Debrief`` rows written alongside are listened to as well, and the task reads the session's state after
the commit. ``manage.py rebuild_network`` re-derives everything if a change ever bypasses all of these.

The team-flow roll-up counts people in their *current* team, so a profile's team changing, a profile or
team being deleted, and a programme membership being created or deleted queue one
``network.tasks.reconcile_team_flow`` per transaction (it compares states, so it needs no details).
Changes made without signals (bulk updates and inserts) are caught by the same task every ten minutes.
A profile's previous team is read from the database in ``pre_save`` (only when the save can change it):
nothing here runs when a model is merely loaded.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save

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


_PREVIOUS_TEAM = "_network_previous_team_id"


class _QueueReconcile:
    """The on-commit callback queueing one reconcile; it remembers having run, so that a transaction
    whose callbacks were already run (as in tests) does not count it as still pending."""

    __slots__ = ("done",)
    __name__ = "queue_reconcile"

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        from network.tasks import reconcile_team_flow

        self.done = True
        reconcile_team_flow.enqueue()


def _reconcile_on_commit() -> None:
    """One reconcile per transaction is enough: it reads every change committed before it runs."""
    pending = connection.in_atomic_block and any(
        isinstance(entry[1], _QueueReconcile) and not entry[1].done for entry in connection.run_on_commit
    )
    if not pending:
        transaction.on_commit(_QueueReconcile())


def _read_team(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """The team this profile is counted in until this save: read from the database, and only when the
    save can change it (a new profile, raw fixtures and saves of other fields keep their own)."""
    team = instance.team_id
    changing = update_fields is None or {"team", "team_id"} & set(update_fields)
    if changing and not raw and not instance._state.adding and instance.pk is not None:
        team = type(instance)._base_manager.filter(pk=instance.pk).values_list("team_id", flat=True).first()
    setattr(instance, _PREVIOUS_TEAM, team)


def _profile_saved(sender, instance, created=False, raw: bool = False, **kwargs) -> None:
    # No profile counts as no team, so a new profile without a team changes nothing.
    before = instance.__dict__.pop(_PREVIOUS_TEAM, instance.team_id)
    if created:
        before = None
    if before != instance.team_id and not raw:
        _reconcile_on_commit()


def _profile_deleted(sender, instance, **kwargs) -> None:
    if instance.team_id is not None:
        _reconcile_on_commit()


def _membership_changed(sender, instance, created: bool = True, raw: bool = False, **kwargs) -> None:
    if created and not raw:  # a role change or an accepted code of conduct changes no population
        _reconcile_on_commit()


def _team_deleted(sender, instance, **kwargs) -> None:
    _reconcile_on_commit()  # its people were moved to "no team" by SET NULL, which sends no signal


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

    from people.models import Profile, Team
    from programmes.models import Membership

    pre_save.connect(_read_team, sender=Profile, dispatch_uid="network.profile.pre-save")
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="network.profile.saved")
    post_delete.connect(_profile_deleted, sender=Profile, dispatch_uid="network.profile.deleted")
    post_delete.connect(_team_deleted, sender=Team, dispatch_uid="network.team.deleted")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="network.membership.saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="network.membership.deleted")
