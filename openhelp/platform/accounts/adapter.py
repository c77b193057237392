from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.template.loader import render_to_string

from openhelp.platform.notifications.services import queue_email

# allauth's template prefix → our notification event. Everything not listed (password or e-mail
# changed, two-factor switched on or off, "no account with this address", …) is a security notice.
EVENT_FOR_TEMPLATE = {
    "account/email/email_confirmation": "account.email_verification",
    "account/email/email_confirmation_signup": "account.email_verification",
    "account/email/password_reset_key": "account.password_reset",
}
SECURITY_NOTICE = "account.security_notice"


def _json_safe(context: dict[str, Any]) -> dict[str, Any]:
    """Keep what our templates need from allauth's context: links, codes, addresses; never objects."""
    safe: dict[str, Any] = {}
    for key, value in context.items():
        if isinstance(value, dt.datetime):
            safe[key] = value.isoformat()
        elif isinstance(value, str | int | float | bool) or value is None:
            safe[key] = value
    return safe


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails go through the notification service: queued, sent by the worker, our templates."""

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth does not pass the user on to send_mail for these; we need it to address the notification.
        return super().send_notification_mail(template_prefix, user, {**(context or {}), "user": user}, email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        event = EVENT_FOR_TEMPLATE.get(template_prefix, SECURITY_NOTICE)
        full = {"email": email, "request": request, **context}
        data = _json_safe(full)
        data["signup"] = template_prefix.endswith("_signup")
        if event == SECURITY_NOTICE:
            # The wording is allauth's (translated, with the IP address and browser); our layout wraps it.
            subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", full).split())
            data["subject"] = f"{settings.SITE_NAME}: {subject}"
            data["message"] = render_to_string(f"{template_prefix}_message.txt", full, request).strip()
        queue_email(
            event=event,
            email_to=email,
            recipient=context.get("user") or self._user_for(email),
            title=data.get("subject", ""),
            context=data,
        )

    def send_account_already_exists_mail(self, email: str) -> None:
        # Signing up with a free address hashes the new password (most of the request's time); with a taken
        # address allauth only sends this e-mail, so it answered in a fifth of the time and told anyone
        # timing it who is registered (found by the security probe). Hash a throwaway password as costly.
        make_password(secrets.token_urlsafe(24))
        super().send_account_already_exists_mail(email)

    @staticmethod
    def _user_for(email: str):
        return get_user_model().objects.filter(email__iexact=email).first()
