"""Account events beyond allauth's own e-mails (those are registered in notifications.events)."""

from openhelp.platform.notifications.events import register

register(
    "account.tokens_revoked",
    label="Access tokens revoked",
    description="Your password was reset or changed, so your personal access tokens stopped working.",
    email_optional=False,
)
