"""The event registry: every kind of notification, its channels, and whether its e-mail can be switched off.

Registering an event is one line, in the app that fires it (``<app>/notification_events.py`` is imported
at start-up by NotificationsConfig.ready):

    register("ask.offer.accepted", label="Your ask was accepted", description="A mentor took your ask.")

E-mail templates live in ``notifications/email/<event>/`` (subject.txt, body.txt, body.html); an event
without its own falls back to ``notifications/email/default/``, which shows the title, body and link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from openhelp.platform.notifications.models import Channel

ALL_CHANNELS: tuple[str, ...] = (Channel.IN_APP.value, Channel.EMAIL.value, Channel.CHAT.value)


class UnknownEvent(LookupError):
    pass


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    description: str
    channels: tuple[str, ...] = ALL_CHANNELS
    default_channels: tuple[str, ...] = ALL_CHANNELS
    email_optional: bool = True
    # Account e-mails carry one-time links (verification, password reset); they are erased once delivered.
    secret_context: bool = False

    def offers(self, channel: str) -> bool:
        return channel in self.channels

    def is_locked(self, channel: str) -> bool:
        """A channel the person cannot switch off (security and account-access e-mails)."""
        return channel == Channel.EMAIL and self.offers(channel) and not self.email_optional

    def is_on_by_default(self, channel: str) -> bool:
        return channel in self.default_channels


_registry: dict[str, Event] = {}


def register(
    name: str,
    *,
    label: str,
    description: str,
    channels: tuple[str, ...] = ALL_CHANNELS,
    default_channels: tuple[str, ...] | None = None,
    email_optional: bool = True,
    secret_context: bool = False,
) -> Event:
    """Declare an event. Registering the same name twice with different settings is a programming error."""
    unknown = set(channels) - set(ALL_CHANNELS)
    if unknown:
        raise ImproperlyConfigured(f"Event {name}: unknown channels {sorted(unknown)}.")
    event = Event(
        name=name,
        label=label,
        description=description,
        channels=tuple(channels),
        default_channels=tuple(channels if default_channels is None else default_channels),
        email_optional=email_optional,
        secret_context=secret_context,
    )
    existing = _registry.get(name)
    if existing is not None and existing != event:
        raise ImproperlyConfigured(f"Event {name} is registered twice with different settings.")
    _registry[name] = event
    return event


def get_event(name: str) -> Event:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownEvent(
            f"Notification event {name!r} is not registered; add it to <app>/notification_events.py."
        ) from None


def all_events() -> list[Event]:
    """In registration order, which is the order the preferences page shows."""
    return list(_registry.values())


EMAIL_ONLY = (Channel.EMAIL.value,)

# --- Account: e-mail only, always sent (they are how a person gets into and protects their account) ---
register(
    "account.email_verification",
    label="Confirm your e-mail address",
    description="The link that confirms an address when you sign up or change it.",
    channels=EMAIL_ONLY,
    email_optional=False,
    secret_context=True,
)
register(
    "account.password_reset",
    label="Password reset",
    description="The link to choose a new password, when you ask for one.",
    channels=EMAIL_ONLY,
    email_optional=False,
    secret_context=True,
)
register(
    "account.security_notice",
    label="Security notices",
    description="Your password, e-mail address or two-factor settings changed, or someone used your address.",
    channels=EMAIL_ONLY,
    email_optional=False,
)
register(
    "account.welcome",
    label="Welcome",
    description="A hello and your first steps, once your e-mail address is confirmed.",
)

# --- Skills ---------------------------------------------------------------------------------------
register(
    "skill.proposal.approved",
    label="Skill proposal approved",
    description="A skill you proposed was approved and everyone can now use it.",
)
register(
    "skill.proposal.rejected",
    label="Skill proposal not accepted",
    description="A skill you proposed was not accepted, with the organiser's reason.",
)
register(
    "skill.proposal.merged",
    label="Skill proposal merged",
    description="A skill you proposed was merged into an existing skill.",
)
