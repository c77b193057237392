"""How many webhook messages one person can send by hand in an hour: a test message, or a delivery sent
again. Each is a signed POST from this server to the endpoint's URL, and each test adds a delivery row, so
without a ceiling one organiser session, or a script with an organiser's token, could make the server post
to any public address as fast as it asked (found in the security review: 60 tests in a row were queued).
Messages the events send are not counted. The ceiling (``WEBHOOK_MANUAL_SENDS_PER_HOUR``) sits far above
what setting an endpoint up needs. The API answers ``RateLimited`` with 429.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

HOUR = 3600


def _key(user: User) -> str:
    return f"webhooks:manual:{user.pk}:{now():%Y-%m-%dT%H}"


def check_manual_send(user: User) -> None:
    """Refuse (``RateLimited``) a test message or a delivery sent again past this hour's ceiling."""
    limit = settings.WEBHOOK_MANUAL_SENDS_PER_HOUR
    if ratelimit.remaining(_key(user), limit=limit) <= 0:
        raise ratelimit.RateLimited(
            f"You have sent {limit} test messages or deliveries again this hour, the most allowed in an hour. "
            "Try again after the hour."
        )


def count_manual_send(user: User) -> None:
    ratelimit.count(_key(user), window_seconds=HOUR)
