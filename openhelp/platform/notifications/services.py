"""The one notification service every feature uses: event + recipients + context → in-app and e-mail.

notify(event="skill.proposal.approved", recipients=[user], title="…", body="…", url="/skills/x/",
       context={"skill": "Kubernetes"}, dedupe_key="skill:42")

Each person's preferences decide the channels; e-mail is never sent inside the request but queued for the
background worker once the transaction commits (notifications.tasks.send_notification_email).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.notifications import chat
from openhelp.platform.notifications.events import ALL_CHANNELS, Event, all_events, get_event
from openhelp.platform.notifications.models import Channel, Notification, NotificationPreference
from openhelp.platform.notifications.tasks import send_notification_chat, send_notification_email

if TYPE_CHECKING:
    from typing import TypeAlias

    # accounts.User: accounts sits above notifications, so the user model is not imported here, and the
    # ORM (recipient=…) wants that model, not AbstractBaseUser.
    User: TypeAlias = Any


def _default_channels(event: Event, *, linked: bool) -> set[str]:
    """The event's default channels for one person. Chat is only for people linked on a chat transport,
    and for them it replaces e-mail by default: whoever gets a chat message is not also e-mailed unless
    they switched both on."""
    channels = {c for c in event.channels if event.is_on_by_default(c)}
    if linked and Channel.CHAT in channels:
        channels.discard(Channel.EMAIL)
    if not linked:
        channels.discard(Channel.CHAT)
    return channels


def _channel_choices(*, user_ids: Iterable[int], event: Event) -> dict[int, set[str]]:
    """The channels each person gets this event on: the event's defaults, overridden by their choices."""
    user_ids = list(user_ids)
    linked = chat.linked_user_ids(user_ids) if event.offers(Channel.CHAT) else set()
    chosen: dict[int, set[str]] = {pk: _default_channels(event, linked=pk in linked) for pk in user_ids}
    saved = NotificationPreference.objects.filter(user_id__in=user_ids, event=event.name).values_list(
        "user_id", "channel", "enabled"
    )
    for user_id, channel, enabled in saved:
        if not event.offers(channel) or (channel == Channel.CHAT and user_id not in linked):
            continue
        if enabled:
            chosen[user_id].add(channel)
        else:
            chosen[user_id].discard(channel)
    for channels in chosen.values():
        if event.is_locked(Channel.EMAIL):
            channels.add(Channel.EMAIL)
    return chosen


def channels_for(*, user: User, event: str) -> set[str]:
    """The channels this person would get ``event`` on now (their choices over the defaults)."""
    return _channel_choices(user_ids=[user.pk], event=get_event(event))[user.pk]


@transaction.atomic
def notify(
    *,
    event: str,
    recipients: Iterable[User | None],
    title: str,
    body: str = "",
    url: str = "",
    context: dict[str, Any] | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Record one notification per recipient (at most one per event and dedupe_key) and queue e-mails.

    Returns the notifications created now; a recipient already told about this (same event and
    dedupe_key) gets nothing new. A person who switched every channel off still gets a row (never shown,
    never mailed) so a later identical event stays deduplicated.
    """
    spec = get_event(event)
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    channels = _channel_choices(user_ids=people, event=spec)
    message = Message(recipient=None, title=title, body=body, url=url, context=context, dedupe_key=dedupe_key)
    created: list[Notification] = []
    for user_id, user in people.items():
        try:
            with transaction.atomic():
                notification = _row(event, message, user, channels[user_id])
                notification.save(force_insert=True)
        except IntegrityError:
            continue  # already told this person about this very thing
        created.append(notification)
        _deliver(notification)
    return created


@dataclass(frozen=True)
class Message:
    """One notification's words for one person (``notify_each``)."""

    recipient: User | None
    title: str
    body: str = ""
    url: str = ""
    context: dict[str, Any] | None = None
    dedupe_key: str = ""


@transaction.atomic
def notify_each(*, event: str, messages: Iterable[Message]) -> list[Notification]:
    """Several notifications of one event, each with its own words and recipient (the offers of one
    round of routing), in a few queries: everyone's channels at once, then one bulk insert.

    The same rows, e-mails and chat messages as one ``notify`` call per message; when one of them was
    already sent (same recipient, event and dedupe_key), every message goes through ``notify`` instead,
    which skips just that one.
    """
    spec = get_event(event)
    wanted = [(m, m.recipient) for m in messages if m.recipient is not None and m.recipient.is_active]
    channels = _channel_choices(user_ids={user.pk for _, user in wanted}, event=spec)
    rows = [_row(event, m, user, channels[user.pk]) for m, user in wanted]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows) if rows else []
    except IntegrityError:
        return [
            notification
            for m, user in wanted
            for notification in notify(
                event=event,
                recipients=[user],
                title=m.title,
                body=m.body,
                url=m.url,
                context=m.context,
                dedupe_key=m.dedupe_key,
            )
        ]
    for notification in created:
        _deliver(notification)
    return created


def _row(event: str, message: Message, user: User, channels: set[str]) -> Notification:
    """The unsaved notification of one message to one person, on the channels they get it on."""
    return Notification(
        recipient=user,
        event=event,
        title=message.title[:200],
        body=message.body,
        url=message.url,
        context=message.context or {},
        dedupe_key=message.dedupe_key,
        show_in_app=Channel.IN_APP in channels,
        email_status=_status(Channel.EMAIL in channels),
        chat_status=_status(Channel.CHAT in channels),
    )


def _deliver(notification: Notification) -> None:
    """Queue the e-mail and the chat message a new notification wants, once the transaction commits."""
    if notification.email_status == Notification.DeliveryStatus.PENDING:
        _queue_send(notification)
    if notification.chat_status == Notification.DeliveryStatus.PENDING:
        enqueue_on_commit(send_notification_chat, notification.pk)


def _status(wanted: bool) -> str:
    return Notification.DeliveryStatus.PENDING if wanted else Notification.DeliveryStatus.NOT_WANTED


@transaction.atomic
def queue_email(
    *, event: str, email_to: str, recipient: User | None = None, title: str = "", context: dict[str, Any]
) -> Notification:
    """An e-mail-only message to one address (account e-mails: verification, password reset, notices).

    ``recipient`` may be None for an address nobody has registered; such e-mails ignore preferences, so
    only e-mail-only events with a mandatory e-mail may be sent this way.
    """
    spec = get_event(event)
    if spec.offers(Channel.IN_APP) or spec.email_optional:
        raise ValueError(f"{event} is not a mandatory e-mail-only event.")
    notification = Notification.objects.create(
        recipient=recipient,
        email_to=email_to,
        event=event,
        title=(title or spec.label)[:200],
        context=context,
        show_in_app=False,
        email_status=Notification.DeliveryStatus.PENDING,
    )
    _queue_send(notification)
    return notification


def _queue_send(notification: Notification) -> None:

    enqueue_on_commit(send_notification_email, notification.pk)


# --- The notification centre ------------------------------------------------------------------


def inbox(*, user: User) -> QuerySet[Notification]:
    """What the notification centre lists: unread first, then newest first."""
    return (
        Notification.objects.filter(recipient=user, show_in_app=True)
        .annotate(
            read_rank=Case(
                When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("read_rank", "-created_at", "-id")
    )


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, show_in_app=True, read_at__isnull=True).count()


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the person's notifications read (someone else's answers 404, like a missing one)."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=user, show_in_app=True)
    if notification.read_at is None:
        notification.read_at = now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark everything read; returns how many changed."""
    return Notification.objects.filter(recipient=user, show_in_app=True, read_at__isnull=True).update(
        read_at=now()
    )


# --- Preferences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelSetting:
    channel: str
    offered: bool
    enabled: bool
    locked: bool


@dataclass(frozen=True)
class EventPreferences:
    event: Event
    settings: tuple[ChannelSetting, ...]

    def setting(self, channel: str) -> ChannelSetting:
        return next(s for s in self.settings if s.channel == channel)


def preferences_for(*, user: User) -> list[EventPreferences]:
    """Every registered event × channel with what this person gets; one query (plus one per chat
    transport). Chat is offered only to people linked on a chat transport."""
    saved = {
        (event, channel): enabled
        for event, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "event", "channel", "enabled"
        )
    }
    linked = user.pk in chat.linked_user_ids([user.pk])
    rows = []
    for event in all_events():
        defaults = _default_channels(event, linked=linked)
        settings = []
        for channel in ALL_CHANNELS:
            offered = event.offers(channel) and (channel != Channel.CHAT or linked)
            locked = event.is_locked(channel)
            enabled = offered and (locked or saved.get((event.name, channel), channel in defaults))
            settings.append(ChannelSetting(channel=channel, offered=offered, enabled=enabled, locked=locked))
        rows.append(EventPreferences(event=event, settings=tuple(settings)))
    return rows


@transaction.atomic
def set_preferences(*, user: User, choices: Mapping[tuple[str, str], bool]) -> list[EventPreferences]:
    """Save {(event, channel): enabled}. Unknown events, channels an event does not use and switching off
    a mandatory e-mail are refused with a ValidationError naming the event."""
    errors: dict[str, list[str]] = {}
    for (event_name, channel), enabled in choices.items():
        try:
            event = get_event(event_name)
        except LookupError:
            errors.setdefault(event_name, []).append("There is no such notification.")
            continue
        if not event.offers(channel):
            errors.setdefault(event_name, []).append(f"“{event.label}” is not sent by {channel}.")
        elif event.is_locked(channel) and not enabled:
            errors.setdefault(event_name, []).append(
                f"“{event.label}” e-mails cannot be switched off: they keep your account secure."
            )
    if errors:
        raise ValidationError(errors)
    for (event_name, channel), enabled in choices.items():
        if get_event(event_name).is_locked(channel):
            continue
        NotificationPreference.objects.update_or_create(
            user=user, event=event_name, channel=channel, defaults={"enabled": enabled}
        )
    return preferences_for(user=user)
