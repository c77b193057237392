"""Chat as a notification channel: the transports (Slack, Matrix …) register here; notifications stays
below them and knows none of them.

An integration app registers its transport in ``AppConfig.ready()``::

    register_chat_transport(SlackTransport())

``linked_user_ids`` says who can receive chat messages on that transport (a linked, enabled account);
``send`` delivers one notification and raises to have it retried. A person linked on several transports
gets the message on each.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openhelp.platform.notifications.models import Notification


class ChatTransport(Protocol):
    name: str

    def linked_user_ids(self, user_ids: Collection[int]) -> set[int]: ...

    def send(self, notification: Notification) -> None: ...


_transports: dict[str, ChatTransport] = {}


def register_chat_transport(transport: ChatTransport) -> None:
    _transports[transport.name] = transport


def unregister_chat_transport(name: str) -> None:
    """For tests that plug a transport in for a while."""
    _transports.pop(name, None)


def transports() -> list[ChatTransport]:
    return [_transports[name] for name in sorted(_transports)]


def linked_user_ids(user_ids: Collection[int]) -> set[int]:
    """Who of these people can get chat messages on at least one transport."""
    if not user_ids:
        return set()
    linked: set[int] = set()
    for transport in transports():
        linked |= transport.linked_user_ids(user_ids)
    return linked


def transports_for(user_id: int) -> list[ChatTransport]:
    return [t for t in transports() if user_id in t.linked_user_ids([user_id])]
