"""Recognition workflows: giving kudos, endorsing a demonstrated skill, and what a person has given.

Kudos are rate-limited per giver (settings.KUDOS_PER_DAY) so thanks stay meaningful and nobody can flood a
colleague's inbox; self-kudos are refused. Endorsements come from the mentor of a session and are
idempotent per session and skill, so a double click or a retried request never endorses twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Subquery
from django.urls import reverse

from openhelp.community.recognition.models import MAX_KUDOS_MESSAGE, Endorsement, Kudos
from openhelp.directory.skills.models import Skill
from openhelp.help.mentoring import attendance, lifecycle
from openhelp.help.mentoring.debriefs import endorsable_skills
from openhelp.help.mentoring.lifecycle import SessionConflict
from openhelp.help.mentoring.models import Session, SessionFormat, SessionState
from openhelp.help.mentoring.services import require_participant
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import id_from_text
from openhelp.platform.notifications.services import notify
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

TOP_SKILLS = 8
RECENT_KUDOS = 5


def kudos_per_day() -> int:
    return int(getattr(settings, "KUDOS_PER_DAY", 20))


class KudosRateLimited(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            f"You have given {kudos_per_day()} kudos today — thank you for being generous! "
            "You can give more tomorrow.",
            code="rate_limited",
        )


# --- Kudos ------------------------------------------------------------------------------------------


def _kudos_counter_key(giver: User) -> str:
    return f"recognition:kudos:{giver.pk}:{now().date().isoformat()}"


def kudos_left_today(*, giver: User) -> int:
    return ratelimit.remaining(_kudos_counter_key(giver), limit=kudos_per_day())


def _count_kudos(giver: User) -> None:
    ratelimit.count(_kudos_counter_key(giver), window_seconds=24 * 3600)


def check_kudos(*, giver: User, receiver: User, message: str = "", session: Session | None = None) -> str:
    """Validate a kudos before it is given; returns the cleaned message. Field errors name the field."""
    errors: dict[str, str] = {}
    message = " ".join((message or "").split())
    if receiver is None or not receiver.is_active:
        errors["receiver"] = "Choose who you want to thank."
    elif receiver.pk == giver.pk:
        errors["receiver"] = "Kudos are for thanking someone else — you cannot give them to yourself."
    if len(message) > MAX_KUDOS_MESSAGE:
        errors["message"] = f"Keep the message under {MAX_KUDOS_MESSAGE} characters (it has {len(message)})."
    if session is not None and receiver is not None:
        if not (session.is_participant(giver) and session.is_participant(receiver)):
            errors["session"] = "Kudos from a session go to the other person in that session."
        elif reason := lifecycle.why_no_kudos(session):
            errors["session"] = reason
    if errors:
        raise ValidationError(errors)
    return message


def give_kudos(
    *,
    giver: User,
    receiver: User,
    skill: Skill | None = None,
    message: str = "",
    public: bool = True,
    session: Session | None = None,
) -> Kudos:
    """Thank ``receiver``, optionally for a skill and from a session; public or private.

    Raises ``ValidationError`` (receiver/message/session) for bad input and ``KudosRateLimited`` after
    ``kudos_per_day()`` kudos by this giver today. The receiver is notified (``kudos.received``).
    """
    message = check_kudos(giver=giver, receiver=receiver, message=message, session=session)
    if kudos_left_today(giver=giver) <= 0:
        raise KudosRateLimited()
    with transaction.atomic():
        kudos = Kudos.objects.create(
            giver=giver, receiver=receiver, skill=skill, message=message, public=public, session=session
        )
        record(
            "kudos.given", actor=giver, kudos=kudos.pk, giver=giver.pk, receiver=receiver.pk, public=public
        )
        name = giver.display_name
        title = f"{name} thanked you" + (f" for {skill.name}" if skill is not None else "")
        notify(
            event="kudos.received",
            recipients=[receiver],
            title=title,
            body=message,
            url=reverse("recognition:mine"),
            context={"giver": name, "skill": skill.name if skill else "", "public": public},
            dedupe_key=f"kudos:{kudos.pk}",
        )
    _count_kudos(giver)
    return kudos


# --- Endorsements -------------------------------------------------------------------------------------


def endorse(*, session: Session, mentor: User, mentee: User, skill: Skill) -> Endorsement:
    """The mentor states the mentee demonstrated ``skill`` in ``session`` (proof of competency).

    Idempotent per session and skill: a repeat returns the existing endorsement and notifies nobody.
    Only the session's mentor may endorse, and only its mentee; a cancelled session cannot endorse.
    """
    if mentor.pk != session.mentor_id or mentee.pk != session.mentee_id:
        raise PermissionDenied("Only the mentor of a session can endorse its mentee.")
    if getattr(session, "is_cancelled", False):
        raise ValidationError({"session": "This session was cancelled, so nothing can be endorsed from it."})
    if skill is None or not Skill.objects.visible_to(mentor).filter(pk=skill.pk).exists():
        raise ValidationError({"skill": "Choose a skill you can see in the skill list."})
    existing = Endorsement.objects.filter(session=session, skill=skill).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                session=session, mentor=mentor, mentee=mentee, skill=skill
            )
            record(
                "endorsement.given",
                actor=mentor,
                endorsement=endorsement.pk,
                session=session.pk,
                mentor=mentor.pk,
                mentee=mentee.pk,
                skill=skill.pk,
            )
            notify(
                event="endorsement.received",
                recipients=[mentee],
                title=f"{mentor.display_name} endorsed you for {skill.name}",
                body=f"Demonstrated: {skill.name} — endorsed by {mentor.display_name}.",
                url=profile_url(mentee),
                context={"mentor": mentor.display_name, "skill": skill.name},
                dedupe_key=f"endorsement:{session.pk}:{skill.pk}",
            )
    except IntegrityError:
        # The same endorsement was saved a moment ago by a parallel request.
        return Endorsement.objects.get(session=session, skill=skill)
    return endorsement


def withdraw_endorsement(*, endorsement: Endorsement, mentor: User) -> None:
    """The mentor takes back an endorsement they gave (a mistake); nobody else may."""
    if endorsement.mentor_id != mentor.pk:
        raise PermissionDenied("Only the mentor who gave an endorsement can withdraw it.")
    endorsement.delete()


def profile_url(user: User) -> str:
    profile = getattr(user, "profile", None)
    return reverse("people:detail", args=[profile.pk]) if profile is not None else ""


def demonstrated_skills(*, user: User) -> QuerySet[Endorsement]:
    """The endorsements a person received, newest first, ready to show ("Demonstrated: …")."""
    return Endorsement.objects.filter(mentee=user).select_related("skill", "mentor__profile")


# --- Feeds and lists --------------------------------------------------------------------------------


def recognition_feed(*, skill_ids: set[int] | None = None) -> QuerySet[Kudos]:
    """Public kudos, newest first (private ones never appear here, whoever looks)."""
    kudos = Kudos.objects.public().filter(giver__is_active=True, receiver__is_active=True)
    if skill_ids is not None:
        kudos = kudos.filter(skill_id__in=skill_ids)
    return kudos.select_related("giver__profile", "receiver__profile", "skill")


def feed_page(
    *, skill_ids: set[int] | None = None, before: str = "", size: int
) -> tuple[list[Kudos], int | None]:
    """A page of the public feed, newest first, older than the kudos ``before`` names (a keyset: the
    partial index on public kudos by (created_at, id) is read from there, no count, no offset).

    Returns the kudos and, when there are older ones, the id to read on from (the last one shown).
    """
    kudos = recognition_feed(skill_ids=skill_ids).order_by("-created_at", "-pk")
    before_id = id_from_text(before)
    anchor = Kudos.objects.filter(pk=before_id).only("created_at").first() if before_id else None
    if anchor is not None:
        kudos = kudos.filter(
            Q(created_at__lt=anchor.created_at) | Q(created_at=anchor.created_at, pk__lt=anchor.pk)
        )
    rows = list(kudos[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


def kudos_received(*, user: User) -> QuerySet[Kudos]:
    """Everything thanking this person, private kudos included: for their own eyes only."""
    return Kudos.objects.filter(receiver=user).select_related("giver__profile", "skill", "session")


def kudos_given(*, user: User) -> QuerySet[Kudos]:
    return Kudos.objects.filter(giver=user).select_related("receiver__profile", "skill", "session")


# --- What a person has given ------------------------------------------------------------------------


@dataclass
class GivenSummary:
    """What one person has given, as shown on their profile to ``viewer``."""

    people_helped: int = 0
    sessions_given: int = 0
    skills: list[dict[str, Any]] = field(default_factory=list)
    kudos_received: int = 0
    private_kudos_received: int = 0  # only filled in for the person themself
    kudos_given: int = 0
    kudos_skills: list[dict[str, Any]] = field(default_factory=list)
    recent_kudos: list[Kudos] = field(default_factory=list)
    endorsements_given: int = 0
    endorsements_received: int = 0
    reliability: Any = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.sessions_given
            or self.kudos_received
            or self.private_kudos_received
            or self.kudos_given
            or self.endorsements_given
            or self.endorsements_received
        )


def helped_sessions(*, user: User) -> QuerySet[Session]:
    """Sessions in which this person helped: as the mentor, not cancelled, and done or past their end."""
    return Session.objects.filter(mentor=user).filter(
        Q(state=SessionState.COMPLETED) | Q(ends_at__lte=now(), state=SessionState.PLANNED)
    )


def reliability_for(user: User) -> Any:
    """The mentoring app's reliability figure ("attended 12 of 12…")."""
    return attendance.reliability_for(user)


def given_summary(*, user: User, viewer: User) -> GivenSummary:
    """People helped, the skills they helped with, kudos, endorsements given and received, reliability.

    A fixed number of queries whatever the history: the counts in one, then the skill lists and the recent
    kudos only where a count says there is something to list. Private kudos count only for the person
    themself.
    """
    sessions = helped_sessions(user=user)
    public = Kudos.objects.public().filter(receiver=user, giver__is_active=True)
    counts = {
        "sessions_given": _count(sessions),
        "people_helped": _count(sessions, of="mentee", distinct=True),
        "kudos_received": _count(public),
        "kudos_given": _count(Kudos.objects.public().filter(giver=user)),
        "endorsements_given": _count(Endorsement.objects.filter(mentor=user)),
        "endorsements_received": _count(Endorsement.objects.filter(mentee=user)),
    }
    if viewer.pk == user.pk:
        counts["private_kudos_received"] = _count(Kudos.objects.filter(receiver=user, public=False))
    found = _counted(user, counts)
    summary = GivenSummary(
        people_helped=found["people_helped"],
        sessions_given=found["sessions_given"],
        kudos_received=found["kudos_received"],
        private_kudos_received=found.get("private_kudos_received", 0),
        kudos_given=found["kudos_given"],
        endorsements_given=found["endorsements_given"],
        endorsements_received=found["endorsements_received"],
    )
    if summary.sessions_given:
        summary.skills = list(
            Session.skills.through.objects.filter(session__in=sessions, skill__status=Skill.Status.APPROVED)
            .values("skill__name", "skill__slug")
            .annotate(n=Count("session", distinct=True))
            .order_by("-n", "skill__name")[:TOP_SKILLS]
        )
    if summary.kudos_received:
        summary.kudos_skills = list(
            public.filter(skill__isnull=False, skill__status=Skill.Status.APPROVED)
            .values("skill__name", "skill__slug")
            .annotate(n=Count("pk"))
            .order_by("-n", "skill__name")[:TOP_SKILLS]
        )
        summary.recent_kudos = list(public.select_related("giver__profile", "skill")[:RECENT_KUDOS])
    summary.reliability = reliability_for(user)
    return summary


def _count(rows: QuerySet[Any], *, of: str = "pk", distinct: bool = False) -> Subquery:
    """``SELECT COUNT(…)`` of these rows as a scalar subquery, to read several counts in one query."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = Func(F(of), function="COUNT", template=template, output_field=IntegerField())
    return Subquery(rows.order_by().annotate(counted=counted).values("counted")[:1])


def _counted(user: User, counts: dict[str, Subquery]) -> dict[str, int]:
    """Name → count, for counts made by ``_count``, in one query (read alongside the person's row)."""
    named = {f"counted_{name}": count for name, count in counts.items()}  # clear of the user's relations
    row = type(user)._default_manager.filter(pk=user.pk).annotate(**named).values(*named).get()
    return {name: int(row[f"counted_{name}"] or 0) for name in counts}


def endorse_from_session(*, session: Session, actor: User, skill: Skill | None) -> Endorsement:
    """The mentor states the mentee demonstrated ``skill`` in the session's "do one" step.

    Offered on the debrief page; the skill must be one of the session's (``debriefs.endorsable_skills``).
    """
    require_participant(session, actor)
    errors: dict[str, list[str]] = {}
    if actor.pk != session.mentor_id:
        errors["skill"] = ["Only the mentor can endorse a skill the mentee demonstrated."]
    elif skill is None or skill.pk not in {s.pk for s in endorsable_skills(session)}:
        errors["skill"] = ["Choose one of the skills this session was about."]
    if errors:
        raise ValidationError(errors)
    if session.state == SessionState.CANCELLED:
        raise SessionConflict("This session was cancelled, so nothing was demonstrated in it.")
    if session.format != SessionFormat.ASYNC and (session.starts_at is None or session.starts_at > now()):
        raise SessionConflict("Endorse once the mentee has done it — after the session has started.")
    assert skill is not None  # checked above
    return endorse(session=session, mentor=session.mentor, mentee=session.mentee, skill=skill)
