"""The moments and introductions events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "moments.weekly_prompt",
    label="End-of-week reflection",
    description="One short prompt on Friday afternoon: your moments this week and your streak. "
    "Switch both channels off to stop it.",
)
register(
    "introduction.received",
    label="Someone introduced you",
    description="A person introduced you to someone with a note; accept or decline (quietly).",
)
register(
    "introduction.accepted",
    label="An introduction connected",
    description="Both people accepted an introduction; a conversation is open between them.",
)
register(
    "introduction.not_this_time",
    label="An introduction did not go ahead",
    description="“Not this time” — never who declined. In the app only unless you choose e-mail.",
    default_channels=("in_app",),
)
register(
    "introduction.message",
    label="A message from someone you were introduced to",
    description="A new message in the conversation of an introduction you accepted.",
)
