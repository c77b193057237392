"""Turning a notification into an e-mail: subject, a text part and an HTML part, in the recipient's time zone."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone

from openhelp.platform.lib.markdown import markdown_to_text, render_markdown
from openhelp.platform.notifications.events import Event, get_event
from openhelp.platform.notifications.models import Notification

TEMPLATE_PARTS = ("subject.txt", "body.txt", "body.html")
# The design system's brand colours (static/css/app.css: --brand is --teal-600, --brand-strong is
# --teal-700) for the e-mails' inline styles, which cannot read CSS variables. White on the button's
# colour is 4.9:1 and the links' colour on white 6.4:1 (WCAG AA); tests/notifications checks both.
EMAIL_COLOURS = {"brand": "#0e7f71", "on_brand": "#ffffff", "link": "#0f665c"}

# A feature may attach files to its own events' e-mails (office hours attach a calendar invite):
# register_attachments("booking.confirmed", build) where build(notification) returns MIME parts.
_attachers: dict[str, Callable[[Notification], list]] = {}


def register_attachments(event_name: str, build: Callable[[Notification], list]) -> None:
    _attachers[event_name] = build


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def _template_names(event: Event, part: str) -> list[str]:
    return [f"notifications/email/{event.name}/{part}", f"notifications/email/default/{part}"]


def _recipient_zone(notification: Notification):
    profile = getattr(notification.recipient, "profile", None) if notification.recipient_id else None
    try:
        return ZoneInfo(profile.timezone) if profile is not None else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def email_context(notification: Notification, event: Event) -> dict:
    recipient = notification.recipient
    return {
        **notification.context,
        "notification": notification,
        "event": event,
        "recipient": recipient,
        "name": recipient.display_name if recipient is not None else "",
        "action_url": absolute_url(notification.url),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "mandatory": not event.email_optional,
        "colours": EMAIL_COLOURS,
        # The body is Markdown: rendered and sanitised in the HTML part, as written in the text part.
        "body_html": render_markdown(notification.body, hard_breaks=True),
    }


def build_email(notification: Notification) -> EmailMultiAlternatives:
    event = get_event(notification.event)
    context = email_context(notification, event)
    with timezone.override(_recipient_zone(notification)):
        subject, text, html = (
            select_template(_template_names(event, part)).render(context) for part in TEMPLATE_PARTS
        )
    # X-Notification-Id: which notification an e-mail carries (the cluster audit counts e-mails per
    # notification with it; bench/cluster).
    headers = {"Auto-Submitted": "auto-generated", "X-Notification-Id": str(notification.pk)}
    if event.email_optional:
        headers["List-Unsubscribe"] = f"<{context['preferences_url']}>"
    message = EmailMultiAlternatives(
        subject=markdown_to_text(subject),  # one line, no Markdown ("**Bold**" reads "Bold")
        body=text.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email_address],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    attacher = _attachers.get(notification.event)
    for part in attacher(notification) if attacher is not None else ():
        message.attach(part)
    return message
