"""The programme events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "programme.added",
    label="You were added to a programme",
    description="An organiser added you to a programme; open it to read its code of conduct.",
)
