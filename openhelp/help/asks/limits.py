"""How much one person can make the platform send to others: asks published, thread messages, co-asker
invitations. Each of these notifies other people (an offer e-mail to every expert routed, a message e-mail
to everyone on the ask, an invitation to each person named), so without a ceiling one account, or a
script with its token, could flood the organisation's inboxes. The ceilings sit far above what a person
does in a day; ``lib.ratelimit`` counts them, and the API answers ``RateLimited`` with 429.

Settings (config/settings.py, from the environment): ``ASKS_PUBLISHED_PER_DAY``, ``ASK_MESSAGES_PER_HOUR``,
``CO_ASKER_INVITATIONS_PER_DAY``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

DAY, HOUR = 24 * 3600, 3600


@dataclass(frozen=True)
class Ceiling:
    """At most ``setting`` of one kind of action per person per calendar day or UTC hour."""

    what: str
    setting: str
    window_seconds: int
    refusal: Callable[[int, int], str]  # (left, limit) → what the person is told

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def _key(self, user: User) -> str:
        moment = now()
        window = moment.date().isoformat() if self.window_seconds == DAY else moment.strftime("%Y-%m-%dT%H")
        return f"asks:{self.what}:{user.pk}:{window}"

    def check(self, user: User, how_many: int = 1) -> None:
        """Refuse (``RateLimited``) before doing ``how_many`` more of the action."""
        if how_many <= 0:
            return
        left = ratelimit.remaining(self._key(user), limit=self.limit)
        if how_many > left:
            raise ratelimit.RateLimited(self.refusal(left, self.limit))

    def count(self, user: User, how_many: int = 1) -> None:
        if how_many > 0:
            ratelimit.count(self._key(user), window_seconds=self.window_seconds, amount=how_many)


PUBLISH = Ceiling(
    "published",
    "ASKS_PUBLISHED_PER_DAY",
    DAY,
    lambda left, limit: (
        f"You have published {limit} asks today, the most allowed in a day. "
        "Keep this one as a draft and publish it tomorrow."
    ),
)
MESSAGES = Ceiling(
    "messages",
    "ASK_MESSAGES_PER_HOUR",
    HOUR,
    lambda left, limit: (
        f"You have written {limit} messages this hour, the most allowed in an hour. "
        "Your text is kept: send it again in a little while."
    ),
)
INVITATIONS = Ceiling(
    "invitations",
    "CO_ASKER_INVITATIONS_PER_DAY",
    DAY,
    lambda left, limit: (
        f"You can invite {left} more co-askers today (at most {limit} a day). Invite the others tomorrow."
    ),
)
