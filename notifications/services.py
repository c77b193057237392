"""The one notification service every feature uses: event + recipients + context → in-app and e-mail.

notify(event="skill.proposal.approved", recipients=[user], title="…", body="…", url="/skills/x/",
       context={"skill": "Kubernetes"}, dedupe_key="skill:42")
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from notifications.models import Notification


@transaction.atomic
def notify(
    *,
    event: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    context: dict | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Record one notification per recipient (at most one per event and dedupe_key) and queue e-mails."""
    created: list[Notification] = []
    for user in {u.pk: u for u in recipients}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        event=event,
                        title=title,
                        body=body,
                        url=url,
                        context=context or {},
                        dedupe_key=dedupe_key,
                    )
                )
        except IntegrityError:
            continue  # already told this person about this very thing
    return created
