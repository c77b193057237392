"""Sessions as the ask workflows see them: the ``openhelp.help.asks.ports.Sessions`` protocol (``settings.ASK_SESSIONS``).

Asks sit below sessions, so they do not import this module: config names it, and ``asks.ports.sessions()``
loads it when a workflow calls.
"""

from __future__ import annotations

from openhelp.help.mentoring.services import follow_ask_after_commit, release_ask

__all__ = ["follow_ask_after_commit", "release_ask"]
