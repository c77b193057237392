"""The routing events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "ask.offer.received",
    label="An ask was offered to you",
    description="Someone needs help with a skill you offer; accept or decline from your inbox.",
)
register(
    "ask.offer.expiring",
    label="An offer to you is about to expire",
    description="One reminder before an ask you have not answered moves on to someone else.",
)
register(
    "ask.offer.taken",
    label="An ask was taken by someone else",
    description="Another expert accepted an ask that was also offered to you; nothing left to do.",
)
register(
    "ask.accepted",
    label="Your ask was accepted",
    description="An expert accepted your ask; agree a time or start the conversation.",
)
register(
    "ask.rerouted",
    label="Your ask was passed on",
    description="The experts asked so far could not take it, so it went to the next ones.",
)
register(
    "ask.unmatched",
    label="Nobody could take your ask",
    description="No expert is free for your ask right now, with what you can do next.",
)
register(
    "ask.expired",
    label="Your ask expired",
    description="Your 'needed by' date passed before anyone accepted, with what you can do next.",
)
register(
    "ask.escalated",
    label="An ask needs attention (organisers)",
    description="An ask is close to its promised response time or went round without an accept.",
)
register(
    "ask.offer.withdrawn",
    label="An ask offered to you is no longer needed",
    description="The person cancelled it or its date passed; shown in the app only unless you choose e-mail.",
    default_channels=("in_app",),
)
register(
    "ask.declined",
    label="The person you asked cannot help",
    description="The one person you asked directly declined or did not answer in time, with what to do next.",
)
