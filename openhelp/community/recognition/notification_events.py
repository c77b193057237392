"""The recognition events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "kudos.received",
    label="Someone thanked you",
    description="A person gave you kudos, perhaps for a skill; private kudos are seen by you alone.",
)
register(
    "endorsement.received",
    label="A mentor endorsed a skill of yours",
    description="A mentor stated you demonstrated a skill in a session; it shows on your profile.",
)
