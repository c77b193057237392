"""How many office-hours bookings one person can make or move in a day. Each booking, and each cancellation
or move of one, tells the other side (in-app and by e-mail, with the topic the booker wrote in the
subject), so without a ceiling one account, or a script with its token, could book and cancel a slot over
and over and fill a mentor's inbox with subjects of its choosing (found in the security review). The
ceiling (``BOOKINGS_PER_DAY``) sits far above what a person books in a day; cancelling is never limited.
The API answers ``RateLimited`` with 429.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

DAY = 24 * 3600


def _key(user: User) -> str:
    return f"officehours:bookings:{user.pk}:{now().date().isoformat()}"


def check_booking(user: User) -> None:
    """Refuse (``RateLimited``) a booking, or a move of one, past today's ceiling."""
    limit = settings.BOOKINGS_PER_DAY
    if ratelimit.remaining(_key(user), limit=limit) <= 0:
        raise ratelimit.RateLimited(
            f"You have booked or moved {limit} office-hours slots today, the most allowed in a day. "
            "Book again tomorrow."
        )


def count_booking(user: User) -> None:
    ratelimit.count(_key(user), window_seconds=DAY)
