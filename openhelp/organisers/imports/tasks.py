"""The invitation e-mail for people an organiser imported, sent only when the organiser asked for it."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from openhelp.platform.accounts.models import User
from openhelp.platform.lib.tasks import background_task


@background_task()
def send_invitation(user_id: int) -> None:
    """A link to choose a password. Does nothing once the person has one (a retry, or they already came)."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if user is None or user.has_usable_password() or user.last_login is not None:
        return
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    context = {"name": user.display_name, "site_name": settings.SITE_NAME, "link": settings.SITE_URL + path}
    subject = render_to_string("imports/email/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("imports/email/invitation_body.txt", context).strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.send()
