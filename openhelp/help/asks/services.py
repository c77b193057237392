"""Workflows on asks: write, edit, publish, cancel, share with co-askers, and the async thread.

Co-askers are asked first: the mentee's list invites people, who join only when they accept (and can
decline, or leave later); until then they see the ask's title and who asked them, nothing else.

Every state change goes through ``openhelp.help.asks.lifecycle.transition`` (a conditional UPDATE), so an illegal or
lost-race change raises ``IllegalTransition``; a request the state does not allow raises ``AskConflict``;
a person without the right role gets ``PermissionDenied``; bad input gets a ``ValidationError`` naming
the field. Views and serializers only translate these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from openhelp.directory.programmes.services import check_scope
from openhelp.help.asks import limits
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition, record_event, transition
from openhelp.help.asks.models import Ask, AskEvent, AskMode, AskState, CoAskerInvitation, Message
from openhelp.help.asks.ports import routing, sessions
from openhelp.help.asks.validation import MAX_MESSAGE, MAX_PLACE, MAX_REASON, clean_ask_fields
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.local_time import local_label
from openhelp.platform.notifications.services import notify
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet

    from openhelp.platform.accounts.models import User

THREAD_OPEN = frozenset({AskState.ACCEPTED, AskState.SCHEDULED, AskState.ANSWERED})
FINISHED = frozenset({AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED})
M2M_FIELDS = ("skills", "languages", "co_askers")
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "objective",
        "context",
        "preparation_questions",
        "skills",
        "format",
        "languages",
        "urgency",
        "needed_by",
        "wants_known_mentor",
        "directed_to",
        "co_askers",
        "programme",
    }
)


# --- Roles -------------------------------------------------------------------------------------------


def is_mentee(ask: Ask, user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and ask.mentee_id == user.pk


def is_helper(ask: Ask, user: User | AnonymousUser | None) -> bool:
    return (
        user is not None and user.is_authenticated and ask.helper_id is not None and ask.helper_id == user.pk
    )


def participants(ask: Ask) -> list[User]:
    """Everyone who shares the ask's thread: the mentee, the co-askers and the accepted helper."""
    people: dict[int, User] = {ask.mentee_id: ask.mentee}
    for user in ask.co_askers.all():
        people[user.pk] = user
    if ask.helper is not None:
        people[ask.helper.pk] = ask.helper
    return list(people.values())


def _require_mentee(ask: Ask, actor: User, doing: str) -> None:
    if not is_mentee(ask, actor):
        raise PermissionDenied(f"Only the person who wrote the ask can {doing}.")


def _require_helper(ask: Ask, actor: User, doing: str) -> None:
    if not is_helper(ask, actor):
        raise PermissionDenied(f"Only the expert helping with this ask can {doing}.")


def detail_url(ask: Ask) -> str:
    return reverse("asks:detail", args=[ask.pk])


def _notify(
    ask: Ask,
    *,
    event: str,
    recipients: Iterable[User | None],
    title: str,
    body: str = "",
    key: str,
    **extra: Any,
) -> None:
    notify(
        event=event,
        recipients=list(recipients),
        title=title,
        body=body,
        url=extra.pop("url", detail_url(ask)),
        context={"ask_id": ask.pk, "ask_title": ask.title, **extra},
        dedupe_key=key,
    )


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Writing and editing -----------------------------------------------------------------------------


DRAFT_NOTE = "Saved as a draft."


@transaction.atomic
def create_ask(*, mentee: User, **fields: Any) -> Ask:
    """Save a new ask as a draft. ``fields`` are the editable fields; ``directed_to`` makes it directed."""
    ask = _write_ask(mentee=mentee, fields=fields)
    record_event(ask, kind="created", actor=mentee, note=DRAFT_NOTE)
    return ask


class NotPublished(AskConflict):
    """The new ask is saved, but publishing it was refused; ``ask`` is the draft, the message says why."""

    def __init__(self, ask: Ask, message: str) -> None:
        self.ask = ask
        super().__init__(message)


def create_and_publish_ask(*, mentee: User, **fields: Any) -> Ask:
    """ "Save and publish": write a new ask and publish it in one step, so its timeline starts with "You
    published it", not with a draft nobody saved. Bad fields raise ``ValidationError`` and save nothing.
    Should publishing be refused (the daily ceiling, the person asked gone), the ask stays a draft, its
    timeline says it was saved as one, and ``NotPublished`` carries it with the reason."""
    with transaction.atomic():
        ask = _write_ask(mentee=mentee, fields=fields)
    try:
        return publish_ask(ask=ask, actor=mentee)
    except (AskConflict, PermissionDenied, ValidationError) as error:
        if not AskEvent.objects.filter(ask=ask, kind="published").exists():
            record_event(ask, kind="created", actor=mentee, note=DRAFT_NOTE)
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise NotPublished(ask, reason) from error


def _write_ask(*, mentee: User, fields: dict[str, Any]) -> Ask:
    """The new draft with its skills and co-askers, in the caller's transaction; no timeline entry."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"create_ask() got unexpected fields {sorted(unknown)}")
    for required in ("title", "objective", "preparation_questions", "skills"):
        fields.setdefault(required, None)
    programme = _clean_programme(fields.pop("programme", None), mentee=mentee)
    cleaned = clean_ask_fields(fields, mentee=mentee)
    co_askers = cleaned.pop("co_askers", None)
    related = {name: cleaned.pop(name) for name in M2M_FIELDS if name in cleaned}
    mode = AskMode.DIRECTED if cleaned.get("directed_to") is not None else AskMode.ROUTED
    ask = Ask.objects.create(mentee=mentee, mode=mode, state=AskState.DRAFT, programme=programme, **cleaned)
    for name, values in related.items():
        getattr(ask, name).set(values)
    if co_askers:
        _share_with(ask, actor=mentee, wanted=co_askers)
    return ask


@transaction.atomic
def update_ask(*, ask: Ask, actor: User, **changes: Any) -> Ask:
    """Edit an ask while nobody has accepted it (draft, open, offered, unmatched); else ``AskConflict``."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_ask() got unexpected fields {sorted(unknown)}")
    _require_mentee(ask, actor, "edit it")
    # The lock makes an accept wait until this edit is saved: the expert always accepts what they read.
    locked = Ask.objects.select_for_update().get(pk=ask.pk)
    if not locked.is_editable:
        raise AskConflict(
            f"This ask is “{AskState(locked.state).label}”: it can no longer be edited once an expert has accepted it."
        )
    if "co_askers" in changes and "directed_to" not in changes:
        changes["directed_to"] = locked.directed_to
    if "programme" in changes:
        programme = _clean_programme(changes.pop("programme"), mentee=locked.mentee)
        if (programme.pk if programme else None) != locked.programme_id:
            if locked.state != AskState.DRAFT:
                raise ValidationError(
                    {"programme": ["The programme can only change while the ask is a draft."]}
                )
            Ask.objects.filter(pk=locked.pk).update(programme=programme, updated_at=now())
            locked.programme = programme
            record_event(locked, kind="edited", actor=actor, note="Changed programme.")
    cleaned = clean_ask_fields(changes, mentee=locked.mentee, objective=locked.objective)
    if "directed_to" in cleaned:
        new_target = cleaned.pop("directed_to")
        if (new_target.pk if new_target else None) != locked.directed_to_id:
            if locked.state != AskState.DRAFT:
                raise ValidationError(
                    {"directed_to": ["Who you asked can only change while the ask is a draft."]}
                )
            locked.directed_to = new_target
            locked.mode = AskMode.DIRECTED if new_target is not None else AskMode.ROUTED
            cleaned["mode"] = locked.mode
    co_askers = cleaned.pop("co_askers", None)
    changed = _save_changes(locked, cleaned)
    if changed:
        record_event(locked, kind="edited", actor=actor, note="Changed " + ", ".join(changed) + ".")
        record("ask.updated", actor=actor, ask=locked.pk, mentee=locked.mentee_id)
    if co_askers is not None:
        _share_with(locked, actor=actor, wanted=co_askers)
    return locked


def _clean_programme(programme: Any, *, mentee: User) -> Any:  # a Programme (a layer above) or None
    """An ask may be scoped to one of its author's programmes (its members and rules then apply), or none."""
    check_scope(programme=programme, user=mentee)
    return programme


def _save_changes(ask: Ask, cleaned: dict[str, Any]) -> list[str]:
    changed: list[str] = []
    for name in M2M_FIELDS:
        if name in cleaned:
            values = cleaned.pop(name)
            if {v.pk for v in values} != set(getattr(ask, name).values_list("pk", flat=True)):
                getattr(ask, name).set(values)
                changed.append(name.replace("_", "-"))
    simple = [name for name, value in cleaned.items() if getattr(ask, name) != value]
    for name in simple:
        setattr(ask, name, cleaned[name])
    if simple or "mode" in cleaned:
        ask.save(update_fields=[*simple, "directed_to", "mode", "updated_at"])
    changed.extend(name.replace("_", " ") for name in simple if name != "mode")
    return changed


def set_co_askers(*, ask: Ask, actor: User, co_askers: Iterable[User]) -> Ask:
    """Share the ask with up to four teammates: people already on it stay, people left off the list leave,
    and new people are invited; each becomes a co-asker (sees the ask, its thread and its session) only
    by accepting. Someone who declined or left is not asked again (a ``co_askers`` field error)."""
    _require_mentee(ask, actor, "choose co-askers")
    with transaction.atomic():
        locked = Ask.objects.select_for_update().get(pk=ask.pk)
        if locked.state in FINISHED:
            raise AskConflict(
                f"This ask is “{AskState(locked.state).label}”, so its co-askers can no longer change."
            )
        cleaned = clean_ask_fields(
            {"co_askers": list(co_askers), "directed_to": locked.directed_to}, mentee=locked.mentee
        )["co_askers"]
        _share_with(locked, actor=actor, wanted=cleaned)
    return locked


def _share_with(ask: Ask, *, actor: User, wanted: list[User]) -> None:
    """Make the co-askers and the pending invitations match ``wanted`` (already validated), in the
    caller's transaction, with the ask locked or just created."""
    wanted_ids = {user.pk for user in wanted}
    joined = set(ask.co_askers.values_list("pk", flat=True))
    invitations = {inv.invitee_id: inv for inv in CoAskerInvitation.objects.filter(ask=ask)}
    refused = [
        user
        for user in wanted
        if user.pk not in joined
        and user.pk in invitations
        and invitations[user.pk].state == CoAskerInvitation.State.DECLINED
    ]
    if refused:
        names = ", ".join(user.display_name for user in refused)
        raise ValidationError({"co_askers": [f"{names} said no to this ask; they cannot be asked again."]})
    removed = joined - wanted_ids
    withdrawn = [
        pk
        for pk, inv in invitations.items()
        if inv.state == CoAskerInvitation.State.PENDING and pk not in wanted_ids
    ]
    invited = [user for user in wanted if user.pk not in joined and user.pk not in invitations]
    limits.INVITATIONS.check(actor, len(invited))
    if removed:
        ask.co_askers.remove(*removed)
    if withdrawn:
        CoAskerInvitation.objects.filter(ask=ask, invitee_id__in=withdrawn).delete()
    created = CoAskerInvitation.objects.bulk_create(
        [CoAskerInvitation(ask=ask, invitee=user, invited_by=actor, created_at=now()) for user in invited]
    )
    limits.INVITATIONS.count(actor, len(created))
    notes = []
    if invited:
        notes.append("Invited " + ", ".join(user.display_name for user in invited) + " to co-ask.")
    if removed or withdrawn:
        notes.append(f"Took {len(removed) + len(withdrawn)} people off the co-askers.")
    if notes:
        record_event(ask, kind="co_askers", actor=actor, note=" ".join(notes))
    for invitation in created:
        _notify(
            ask,
            event="ask.co_asker.invited",
            recipients=[invitation.invitee],
            title=f"{actor.display_name} asks you to co-ask “{ask.title}”",
            body="Accept to follow the ask, its thread and its session, or decline.",
            key=f"ask:{ask.pk}:co-asker-invitation:{invitation.pk}",
            url=invitation_url(ask),
        )


def co_askers_on(ask: Ask) -> list[User]:
    """Everyone on the mentee's list of co-askers: those who joined, then those still asked."""
    joined = list(ask.co_askers.select_related("profile"))
    return [*joined, *invited_co_askers(ask)]


def invited_co_askers(ask: Ask) -> list[User]:
    """Those asked to co-ask who have not answered yet, oldest invitation first."""
    return [
        invitation.invitee
        for invitation in ask.co_asker_invitations.filter(
            state=CoAskerInvitation.State.PENDING
        ).select_related("invitee__profile")
    ]


def invitation_url(ask: Ask) -> str:
    return reverse("asks:invitation", args=[ask.pk])


def pending_invitation(*, ask_id: int, user: User) -> CoAskerInvitation | None:
    """This person's open invitation to co-ask, if any (all they may see of an ask they are not on)."""
    if not user.is_authenticated:
        return None
    return (
        CoAskerInvitation.objects.select_related("ask", "invited_by__profile")
        # ``ask__pk``, not ``ask_id``: the ask's own key ignores an id no row can have (past 64 bits, from a
        # URL), where the foreign key sent it to the database and answered 500.
        .filter(ask__pk=ask_id, invitee=user, state=CoAskerInvitation.State.PENDING)
        .first()
    )


def pending_invitations(*, user: User) -> QuerySet[CoAskerInvitation]:
    """The invitations to co-ask that wait for this person's answer, newest first."""
    return (
        CoAskerInvitation.objects.filter(invitee=user, state=CoAskerInvitation.State.PENDING)
        .exclude(ask__state__in=FINISHED)
        .select_related("ask", "invited_by__profile")
        .order_by("-created_at", "-pk")
    )


def _locked_invitation(ask_id: int, invitee: User) -> tuple[Ask, CoAskerInvitation]:
    ask = Ask.objects.select_for_update().get(pk=ask_id)
    invitation = CoAskerInvitation.objects.filter(
        ask=ask, invitee=invitee, state=CoAskerInvitation.State.PENDING
    ).first()
    if invitation is None:
        raise PermissionDenied("There is no invitation waiting for you on this ask.")
    return ask, invitation


def accept_co_asker_invitation(*, ask: Ask, invitee: User) -> Ask:
    """Say yes: join the ask as a co-asker. The mentee is told."""
    with transaction.atomic():
        locked, invitation = _locked_invitation(ask.pk, invitee)
        if locked.state in FINISHED:
            raise AskConflict(f"This ask is “{AskState(locked.state).label}”: there is nothing left to join.")
        invitation_id = invitation.pk
        invitation.delete()
        locked.co_askers.add(invitee)
        record_event(
            locked, kind="co_askers", actor=invitee, note=f"{invitee.display_name} joined as a co-asker."
        )
        _notify(
            locked,
            event="ask.co_asker.answered",
            recipients=[locked.mentee],
            title=f"{invitee.display_name} joined your ask “{locked.title}”",
            key=f"ask:{locked.pk}:co-asker-answer:{invitation_id}",
        )
    return locked


def decline_co_asker_invitation(*, ask: Ask, invitee: User) -> None:
    """Say no: the invitee stays off the ask and is not asked again. The mentee is told."""
    with transaction.atomic():
        locked, invitation = _locked_invitation(ask.pk, invitee)
        invitation_id = invitation.pk
        invitation.state = CoAskerInvitation.State.DECLINED
        invitation.answered_at = now()
        invitation.save(update_fields=["state", "answered_at"])
        _notify(
            locked,
            event="ask.co_asker.answered",
            recipients=[locked.mentee],
            title=f"{invitee.display_name} will not co-ask “{locked.title}”",
            key=f"ask:{locked.pk}:co-asker-answer:{invitation_id}",
        )


def leave_ask(*, ask: Ask, user: User) -> None:
    """A co-asker steps off the ask (and is not added back). The mentee is told."""
    with transaction.atomic():
        locked = Ask.objects.select_for_update().get(pk=ask.pk)
        if not locked.co_askers.filter(pk=user.pk).exists():
            raise PermissionDenied("Only a co-asker can leave an ask.")
        locked.co_askers.remove(user)
        CoAskerInvitation.objects.update_or_create(
            ask=locked,
            invitee=user,
            defaults={
                "state": CoAskerInvitation.State.DECLINED,
                "answered_at": now(),
                "invited_by": locked.mentee,
            },
        )
        record_event(locked, kind="co_askers", actor=user, note=f"{user.display_name} left the ask.")
        _notify(
            locked,
            event="ask.co_asker.answered",
            recipients=[locked.mentee],
            title=f"{user.display_name} left your ask “{locked.title}”",
            key=f"ask:{locked.pk}:co-asker-left:{user.pk}",  # once: nobody is added back
        )


# --- Publishing, cancelling, re-routing --------------------------------------------------------------


def publish_ask(*, ask: Ask, actor: User) -> Ask:
    """Draft → open, then hand it to routing: the chosen person at once (directed), or the best experts by
    the worker moments later (routed)."""
    _require_mentee(ask, actor, "publish it")
    if ask.state != AskState.DRAFT:
        raise IllegalTransition(ask, AskState.OPEN)
    if ask.mode == AskMode.DIRECTED and ask.directed_to_id is None:
        raise AskConflict("The person you asked is no longer on the platform; let us route it instead.")
    limits.PUBLISH.check(actor)  # every publication notifies experts: a ceiling per day
    if ask.mode == AskMode.DIRECTED:
        ask = transition(
            ask, AskState.OPEN, actor=actor, kind="published", note="Published.", published_at=now()
        )
        # Its own transaction (it locks the ask), after ours committed; one offer, so at once.
        routing().offer_directly(ask=ask, mentor=ask.directed_to, actor=actor)  # directed_to checked above
        limits.PUBLISH.count(actor)
        ask.refresh_from_db()
        return ask
    with transaction.atomic():
        ask = transition(
            ask, AskState.OPEN, actor=actor, kind="published", note="Published.", published_at=now()
        )
        # Ranking every expert takes a while in a large organisation: the worker offers it, moments after
        # this commits ("Published: we are finding the right experts" until then).
        routing().route_ask_later(ask=ask, actor=actor)
    limits.PUBLISH.count(actor)
    return ask


def cancel_ask(*, ask: Ask, actor: User, reason: str) -> Ask:
    """Cancel with a reason (shown in the timeline and to the expert); pending offers are withdrawn."""
    _require_mentee(ask, actor, "cancel it")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say briefly why, so the expert understands."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Keep the reason under {MAX_REASON} characters."]})
    ask = transition(
        ask, AskState.CANCELLED, actor=actor, kind="cancelled", note=reason, cancel_reason=reason
    )
    sessions().follow_ask_after_commit(ask_id=ask.pk)
    _withdraw_pending_offers(ask)
    others = [user for user in participants(ask) if user.pk != actor.pk]
    if others:
        _notify(
            ask,
            event="ask.cancelled",
            recipients=others,
            title=f"“{ask.title}” was cancelled",
            body=f"{actor.display_name} cancelled it: {reason}",
            key=f"ask:{ask.pk}:cancelled",
            reason=reason,
        )
    return ask


def _withdraw_pending_offers(ask: Ask) -> None:
    """Routing owns offers: it withdraws the pending ones and tells those experts."""
    routing().withdraw_offers(ask=ask)


def declined_directed_offer(ask: Ask) -> Model | None:  # routing's Offer (a layer above)
    """The declined (or unanswered) offer of a directed ask, which makes "route it to others" possible."""
    return routing().declined_offer(ask=ask)


def reroute_declined_directed(*, ask: Ask, actor: User) -> Ask:
    """One click after the chosen person declined: the ask becomes routed and goes to other experts."""
    _require_mentee(ask, actor, "route it to others")
    if declined_directed_offer(ask) is None:
        raise AskConflict("Only an ask the person you chose has declined can be routed to others.")
    with transaction.atomic():
        changed = Ask.objects.filter(pk=ask.pk, mode=AskMode.DIRECTED, state=ask.state).update(
            mode=AskMode.ROUTED, updated_at=now()
        )
        if changed != 1:
            raise AskConflict("Someone else changed this ask a moment ago; please reload.")
        ask.refresh_from_db()
        note = "Routed to other experts after the person asked declined."
        if ask.state == AskState.UNMATCHED:
            ask = transition(ask, AskState.OPEN, actor=actor, kind="rerouted", note=note)
        else:
            record_event(ask, kind="rerouted", actor=actor, note=note)
    routing().route_ask(ask=ask, actor=actor)
    ask.refresh_from_db()
    return ask


HANDED_BACK = frozenset({AskState.ACCEPTED, AskState.SCHEDULED})


def hand_back(*, ask: Ask, note: str) -> Ask:
    """The helper of an accepted or scheduled ask left the organisation: the ask opens again and goes to
    other experts, so the mentee is not left waiting on someone who is gone.

    The planned session and any agreed time are cancelled, a directed ask becomes routed (the person the
    mentee chose is the one who left), and the mentee and co-askers are told. An answered or closed ask
    stays as it is (the mentee can still confirm it helped). Returns the fresh ask.
    """
    with transaction.atomic():
        ask = Ask.objects.select_related("mentee", "helper").get(pk=ask.pk)
        if ask.state not in HANDED_BACK or ask.helper is None:
            return ask
        helper = ask.helper
        ask = transition(
            ask,
            AskState.OPEN,
            kind="helper_left",
            note=note,
            helper=None,
            accepted_at=None,
            scheduled_for=None,
            scheduled_place="",
            mode=AskMode.ROUTED,
        )
        sessions().release_ask(ask_id=ask.pk)
        _notify(
            ask,
            event="ask.helper_left",
            recipients=participants(ask),
            title=f"“{ask.title}” goes to other experts",
            body=f"{helper.display_name} is no longer on the platform, so we are offering your ask to "
            "other experts. Your thread and notes stay with the ask.",
            key=f"ask:{ask.pk}:helper-left:{helper.pk}",
            helper=helper.display_name,
        )
    routing().route_ask(ask=ask)  # its own transaction: it locks mentors' capacity
    ask.refresh_from_db()
    return ask


# --- Helping: the thread, answering, scheduling, completing -------------------------------------------


def post_message(*, ask: Ask, author: User, body: str) -> Message:
    """Add a Markdown message to the thread and tell the other participants (once per message each)."""
    if not ask.is_participant(author):
        raise PermissionDenied("Only the people on this ask can write in its thread.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write a message first."]})
    if len(body) > MAX_MESSAGE:
        raise ValidationError(
            {"body": [f"Keep a message under {MAX_MESSAGE} characters (it has {len(body)})."]}
        )
    limits.MESSAGES.check(author)  # every message notifies everyone else on the ask: a ceiling per hour
    with transaction.atomic():
        state = Ask.objects.select_for_update().values_list("state", flat=True).get(pk=ask.pk)
        if state not in THREAD_OPEN:
            if state in FINISHED:
                raise AskConflict(f"This ask is “{AskState(state).label}”; its thread is closed.")
            raise AskConflict("The thread opens once an expert accepts the ask.")
        message = Message.objects.create(ask=ask, author=author, body=body, created_at=now())
        _notify(
            ask,
            event="ask.message.received",
            recipients=[user for user in participants(ask) if user.pk != author.pk],
            title=f"{author.display_name} wrote on “{ask.title}”",
            body=body,  # Markdown: previews show it as plain text, the e-mail rendered and sanitised
            key=f"ask-message:{message.pk}",
            url=f"{detail_url(ask)}#message-{message.pk}",
            author=author.display_name,
        )
    limits.MESSAGES.count(author)
    return message


def mark_answered(*, ask: Ask, actor: User, body: str = "") -> Ask:
    """The helper says the question is answered (optionally with a last message); the mentee confirms."""
    _require_helper(ask, actor, "mark it answered")
    if ask.state != AskState.ACCEPTED:
        raise IllegalTransition(ask, AskState.ANSWERED)
    with transaction.atomic():
        if body.strip():
            post_message(ask=ask, author=actor, body=body)
        ask = transition(ask, AskState.ANSWERED, actor=actor, kind="answered", note="Marked as answered.")
        _notify(
            ask,
            event="ask.answered",
            recipients=[user for user in participants(ask) if user.pk != actor.pk],
            title=f"{actor.display_name} answered “{ask.title}”",
            body="Did it help? Confirm it, or ask a follow-up question.",
            key=f"ask:{ask.pk}:answered:{ask.latest_event.pk}",
        )
    return ask


def confirm_helped(*, ask: Ask, actor: User) -> Ask:
    """The mentee confirms it helped: the ask is completed."""
    _require_mentee(ask, actor, "confirm it helped")
    ask = transition(ask, AskState.COMPLETED, actor=actor, kind="completed", note="It helped.")
    sessions().follow_ask_after_commit(ask_id=ask.pk)
    if ask.helper_id is not None:
        _notify(
            ask,
            event="ask.completed",
            recipients=[ask.helper],
            title=f"{actor.display_name} says your help with “{ask.title}” worked",
            body="Thank you for helping.",
            key=f"ask:{ask.pk}:completed",
        )
    return ask


def ask_follow_up(*, ask: Ask, actor: User, body: str) -> Ask:
    """Not quite there yet: answered → accepted again, with the follow-up question in the thread."""
    _require_mentee(ask, actor, "ask a follow-up")
    if not (body or "").strip():
        raise ValidationError({"body": ["Write your follow-up question."]})
    with transaction.atomic():
        ask = transition(ask, AskState.ACCEPTED, actor=actor, kind="follow_up", note=_excerpt(body, 300))
        sessions().follow_ask_after_commit(ask_id=ask.pk)
        post_message(ask=ask, author=actor, body=body)
    return ask


def record_agreed_time(*, ask: Ask, actor: User, scheduled_for: dt.datetime, place: str) -> Ask:
    """Record the time and place the mentee and expert agreed for a call (accepted → scheduled)."""
    if not (is_mentee(ask, actor) or is_helper(ask, actor)):
        raise PermissionDenied("Only the person who asked and the expert can agree a time.")
    if not ask.is_call:
        raise AskConflict("This ask wants an async answer: it is answered in the thread, not scheduled.")
    errors: dict[str, list[str]] = {}
    if scheduled_for is None:
        errors["scheduled_for"] = ["Enter the date and time you agreed."]
    elif scheduled_for <= now():
        errors["scheduled_for"] = ["Choose a time in the future."]
    place = (place or "").strip()
    if not place:
        errors["place"] = ["Say where: a meeting link, a room or a phone number."]
    elif len(place) > MAX_PLACE:
        errors["place"] = [f"Keep the place under {MAX_PLACE} characters."]
    if errors:
        raise ValidationError(errors)
    fields = {"scheduled_for": scheduled_for, "scheduled_place": place}
    note = f"Agreed for {scheduled_for:%Y-%m-%d %H:%M} UTC at {place}."
    if ask.state == AskState.SCHEDULED:
        ask = _reschedule(ask, actor=actor, note=note, **fields)
    else:
        ask = transition(ask, AskState.SCHEDULED, actor=actor, kind="scheduled", note=note, **fields)
    sessions().follow_ask_after_commit(ask_id=ask.pk)
    for recipient in participants(ask):
        if recipient.pk == actor.pk:
            continue
        when = local_label(scheduled_for, getattr(getattr(recipient, "profile", None), "timezone", None))
        _notify(  # one each: the time reads in each person's own zone
            ask,
            event="ask.scheduled",
            recipients=[recipient],
            title=f"A time is agreed for “{ask.title}”: {when}",
            body=f"{actor.display_name} recorded {when}, at {place}.",
            key=f"ask:{ask.pk}:scheduled:{ask.latest_event.pk}",
            scheduled_for=scheduled_for.isoformat(),
            place=place,
        )
    return ask


@transaction.atomic
def _reschedule(ask: Ask, *, actor: User, note: str, **fields: Any) -> Ask:
    changed = Ask.objects.filter(pk=ask.pk, state=AskState.SCHEDULED).update(updated_at=now(), **fields)
    if changed != 1:
        ask.refresh_from_db()
        raise IllegalTransition(
            ask, AskState.SCHEDULED, "Someone else changed this ask a moment ago; please reload."
        )
    ask.refresh_from_db()
    ask.latest_event = record_event(ask, kind="rescheduled", actor=actor, note=note)
    sessions().follow_ask_after_commit(ask_id=ask.pk)
    return ask


# --- Reading -----------------------------------------------------------------------------------------


def offered_count(ask: Ask) -> int:
    """To how many experts the ask is offered right now: a count, never who."""
    return routing().pending_offer_count(ask=ask)


def first_answer_due(ask: Ask) -> dt.datetime | None:
    """By when the experts it is offered to answer, or it moves on (the earliest pending offer's expiry)."""
    return routing().first_answer_due(ask=ask)
