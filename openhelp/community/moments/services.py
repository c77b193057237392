"""Moments: logging one in seconds, the weekly "three moments" challenge and its streak, and the one
end-of-week reflection prompt per person per week.

Weeks are the person's own: Monday 00:00 to Sunday 24:00 in their profile's time zone, so a moment logged
late on Sunday evening in Tokyo counts for that Sunday's week, not the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from openhelp.community.moments.models import MAX_MOMENT_NOTE, Moment, MomentKind, ReflectionPrompt
from openhelp.community.moments.tasks import send_reflection_prompt_task
from openhelp.platform.lib.clock import now, start_of_week
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.notifications.services import channels_for, notify
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.community.moments.models import Introduction
    from openhelp.platform.accounts.models import User

BACKDATE_DAYS = 30
STREAK_WEEKS = 104  # how far back a streak is counted
# The reflection prompt arrives on Friday afternoon, the person's own time.
REFLECTION_WEEKDAY = 4
REFLECTION_TIME = dt.time(16, 0)
REFLECTION_EVENT = "moments.weekly_prompt"


def timezone_of(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.timezone if profile is not None and profile.timezone else "UTC"


# --- Logging --------------------------------------------------------------------------------------


def _clean_moment(
    *, author: User, kind: str, note: str, person: User | None, occurred_at: dt.datetime | None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if kind not in MomentKind.values:
        errors["kind"] = "Choose what kind of moment it was."
    note = " ".join((note or "").split())
    if not note:
        errors["note"] = "Write one line about it, e.g. “Told Sam the talk draft is strong”."
    elif len(note) > MAX_MOMENT_NOTE:
        errors["note"] = f"Keep it to one line: at most {MAX_MOMENT_NOTE} characters (this has {len(note)})."
    if person is not None and person.pk == author.pk:
        errors["person"] = "A moment is something you did for someone else; leave the person empty instead."
    elif person is not None and not person.is_active:
        errors["person"] = "This person is no longer on the platform."
    moment = now()
    if occurred_at is not None:
        if occurred_at > moment + dt.timedelta(minutes=5):
            errors["occurred_at"] = "A moment cannot be in the future."
        elif occurred_at < moment - dt.timedelta(days=BACKDATE_DAYS):
            errors["occurred_at"] = f"Log moments from the last {BACKDATE_DAYS} days."
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "note": note, "person": person, "occurred_at": occurred_at or moment}


def log_moment(
    *,
    author: User,
    kind: str,
    note: str,
    person: User | None = None,
    is_public: bool = False,
    occurred_at: dt.datetime | None = None,
    introduction: Introduction | None = None,
) -> Moment:
    """Record a moment (private unless ``is_public``) and make sure the week's reflection prompt is due."""
    fields = _clean_moment(author=author, kind=kind, note=note, person=person, occurred_at=occurred_at)
    with transaction.atomic():
        moment = Moment.objects.create(
            author=author, is_public=is_public, introduction=introduction, **fields
        )
        record("moment.logged", actor=author, moment=moment.pk, author=author.pk)
        ensure_reflection_scheduled(user=author)
    return moment


def update_moment(
    *,
    moment: Moment,
    actor: User,
    kind: str,
    note: str,
    person: User | None = None,
    is_public: bool = False,
    occurred_at: dt.datetime | None = None,
) -> Moment:
    if moment.author_id != actor.pk:
        raise PermissionDenied("Only the author can change a moment.")
    fields = _clean_moment(
        author=actor, kind=kind, note=note, person=person, occurred_at=occurred_at or moment.occurred_at
    )
    for name, value in fields.items():
        setattr(moment, name, value)
    moment.is_public = is_public
    moment.save()
    return moment


def delete_moment(*, moment: Moment, actor: User) -> None:
    if moment.author_id != actor.pk:
        raise PermissionDenied("Only the author can delete a moment.")
    with transaction.atomic():
        record("moment.deleted", actor=actor, moment=moment.pk, author=actor.pk, created_at=moment.created_at)
        moment.delete()


def moments_of(*, user: User) -> QuerySet[Moment]:
    """Everything this person logged (private included): for their own eyes only."""
    return Moment.objects.filter(author=user).select_related("person__profile")


def public_moments_of(*, user: User) -> QuerySet[Moment]:
    """What others may see: public moments, without who they were with."""
    return Moment.objects.filter(author=user, is_public=True).only(
        "pk", "kind", "note", "occurred_at", "author_id", "is_public"
    )


# --- The weekly challenge --------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    goal: int
    this_week: int
    week_start: dt.date
    streak: int

    @property
    def done(self) -> bool:
        return self.this_week >= self.goal

    @property
    def remaining(self) -> int:
        return max(0, self.goal - self.this_week)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.this_week / self.goal)) if self.goal else 100

    @property
    def text(self) -> str:
        if self.done:
            base = f"Challenge done: {self.this_week} moments this week."
        else:
            base = f"{self.this_week} of {self.goal} moments this week — {self.remaining} to go."
        if self.streak:
            base += f" Streak: {self.streak} week{'s' if self.streak != 1 else ''} in a row."
        return base


def weekly_goal() -> int:
    """How many moments a week make the challenge (settings.MOMENTS_WEEKLY_GOAL)."""
    return int(getattr(settings, "MOMENTS_WEEKLY_GOAL", 3))


def challenge_for(*, user: User, moment: dt.datetime | None = None) -> Challenge:
    """This week's progress towards ``weekly_goal()`` moments and the streak of weeks that reached it.

    The streak counts back from this week when it is already done, else from last week (a week still
    in progress does not break it). One query, whatever the history.
    """
    moment = moment or now()
    tz_name = timezone_of(user)
    this_monday = start_of_week(moment, tz_name)
    oldest = this_monday - dt.timedelta(weeks=STREAK_WEEKS)
    zone = ZoneInfo(tz_name)
    per_week: dict[dt.date, int] = {}
    times = Moment.objects.filter(author=user, occurred_at__gte=oldest, occurred_at__lte=moment)
    for occurred_at in times.values_list("occurred_at", flat=True):
        local = occurred_at.astimezone(zone).date()
        monday = local - dt.timedelta(days=local.weekday())
        per_week[monday] = per_week.get(monday, 0) + 1
    week = this_monday.date()
    this_week = per_week.get(week, 0)
    goal = weekly_goal()
    streak = 0
    cursor = week if this_week >= goal else week - dt.timedelta(weeks=1)
    while per_week.get(cursor, 0) >= goal:
        streak += 1
        cursor -= dt.timedelta(weeks=1)
    return Challenge(goal=goal, this_week=this_week, week_start=week, streak=streak)


# --- The end-of-week reflection prompt ----------------------------------------------------------------


def wants_reflection_prompt(user: User) -> bool:
    """False when the person switched the prompt off on every channel (notification preferences)."""
    return bool(channels_for(user=user, event=REFLECTION_EVENT))


def reflection_time(*, user: User, moment: dt.datetime | None = None) -> tuple[dt.date, dt.datetime]:
    """The Monday of the week the next prompt belongs to, and when to send it (Friday 16:00 local).

    Past this week's prompt time, the next prompt is next week's.
    """
    moment = moment or now()
    tz_name = timezone_of(user)
    monday = start_of_week(moment, tz_name)
    local_friday = (monday + dt.timedelta(days=REFLECTION_WEEKDAY)).date()
    run_at = dt.datetime.combine(local_friday, REFLECTION_TIME, tzinfo=ZoneInfo(tz_name))
    if run_at <= moment:
        monday = start_of_week(moment + dt.timedelta(weeks=1), tz_name)
        local_friday = (monday + dt.timedelta(days=REFLECTION_WEEKDAY)).date()
        run_at = dt.datetime.combine(local_friday, REFLECTION_TIME, tzinfo=ZoneInfo(tz_name))
    return monday.date(), run_at


def ensure_reflection_scheduled(*, user: User, moment: dt.datetime | None = None) -> ReflectionPrompt | None:
    """Make sure this person's next end-of-week prompt is queued — exactly once per person per week.

    Nothing is queued for someone who opted out; the chain starts again when they next log a moment.
    """
    if not user.is_active or not wants_reflection_prompt(user):
        return None
    week_start, run_at = reflection_time(user=user, moment=moment)
    prompt = ReflectionPrompt.objects.filter(user=user, week_start=week_start).first()
    if prompt is not None:
        return prompt
    try:
        with transaction.atomic():
            prompt = ReflectionPrompt.objects.create(user=user, week_start=week_start, run_at=run_at)
    except IntegrityError:
        return ReflectionPrompt.objects.get(user=user, week_start=week_start)  # queued by a parallel request

    if send_reflection_prompt_task.get_backend().supports_defer:
        enqueue_on_commit(send_reflection_prompt_task, prompt.pk, run_after=run_at)
    return prompt


def send_reflection_prompt(*, prompt_id: int) -> str:
    """The task's work: send this week's prompt once, then queue next week's. Safe to run twice or late."""
    with transaction.atomic():
        prompt = (
            # of=self: the profile is an outer join, which PostgreSQL will not lock.
            ReflectionPrompt.objects.select_for_update(of=("self",))
            .select_related("user__profile")
            .filter(pk=prompt_id)
            .first()
        )
        if prompt is None:
            return "gone"
        if prompt.sent_at is not None or prompt.skipped:
            return "already done"
        user = prompt.user
        if not user.is_active:
            prompt.skipped = "inactive"
            prompt.save(update_fields=["skipped"])
            return "inactive"
        if not wants_reflection_prompt(user):
            prompt.skipped = "opted out"
            prompt.save(update_fields=["skipped"])
            return "opted out"
        challenge = challenge_for(user=user, moment=prompt.run_at)
        notify(
            event=REFLECTION_EVENT,
            recipients=[user],
            title="Your week in moments: a minute to reflect",
            body=f"{challenge.text} Who did you help this week, and who helped you? Log it in seconds.",
            url=reverse("moments:list"),
            context={"this_week": challenge.this_week, "goal": challenge.goal, "streak": challenge.streak},
            dedupe_key=f"week:{prompt.week_start.isoformat()}",
        )
        prompt.sent_at = now()
        prompt.save(update_fields=["sent_at"])
    ensure_reflection_scheduled(user=user, moment=max(now(), prompt.run_at) + dt.timedelta(minutes=1))
    return "sent"
