"""How much one person can make the platform send to others: asks published, thread messages, co-asker
invitations. Each of these notifies other people (an offer e-mail to every expert routed, a message e-mail
to everyone on the ask, an invitation to each person named), so without a ceiling one account, or a
script with its token, could flood the organisation's inboxes. The ceilings sit far above what a person
does in a day; ``lib.ratelimit`` counts them, and the API answers ``RateLimited`` with 429.

Settings (config/settings.py, from the environment): ``ASKS_PUBLISHED_PER_DAY``, ``ASK_MESSAGES_PER_HOUR``,
``CO_ASKER_INVITATIONS_PER_DAY``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

DAY, HOUR = 24 * 3600, 3600


def asks_published_per_day() -> int:
    return settings.ASKS_PUBLISHED_PER_DAY


def messages_per_hour() -> int:
    return settings.ASK_MESSAGES_PER_HOUR


def co_asker_invitations_per_day() -> int:
    return settings.CO_ASKER_INVITATIONS_PER_DAY


def _key(what: str, user: User, window: str) -> str:
    return f"asks:{what}:{user.pk}:{window}"


def _today() -> str:
    return now().date().isoformat()


def _this_hour() -> str:
    return now().strftime("%Y-%m-%dT%H")


def check_publish(user: User) -> None:
    if ratelimit.remaining(_key("published", user, _today()), limit=asks_published_per_day()) <= 0:
        raise ratelimit.RateLimited(
            f"You have published {asks_published_per_day()} asks today, the most allowed in a day. "
            "Keep this one as a draft and publish it tomorrow."
        )


def count_publish(user: User) -> None:
    ratelimit.count(_key("published", user, _today()), window_seconds=DAY)


def check_message(user: User) -> None:
    if ratelimit.remaining(_key("messages", user, _this_hour()), limit=messages_per_hour()) <= 0:
        raise ratelimit.RateLimited(
            f"You have written {messages_per_hour()} messages this hour, the most allowed in an hour. "
            "Your text is kept: send it again in a little while."
        )


def count_message(user: User) -> None:
    ratelimit.count(_key("messages", user, _this_hour()), window_seconds=HOUR)


def check_invitations(user: User, how_many: int) -> None:
    """Before inviting ``how_many`` new co-askers at once."""
    if how_many <= 0:
        return
    left = ratelimit.remaining(_key("invitations", user, _today()), limit=co_asker_invitations_per_day())
    if how_many > left:
        raise ratelimit.RateLimited(
            f"You can invite {left} more co-askers today (at most {co_asker_invitations_per_day()} a day). "
            "Invite the others tomorrow."
        )


def count_invitations(user: User, how_many: int) -> None:
    for _ in range(how_many):
        ratelimit.count(_key("invitations", user, _today()), window_seconds=DAY)
