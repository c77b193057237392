"""The session events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "session.debrief_reminder",
    label="Reminder to debrief a session",
    description="One reminder after a session, if nobody wrote its takeaways yet. Never more than one.",
)
register(
    "session.no_show_reported",
    label="You were reported as missing a session",
    description="The other person said you did not come; say so if it did happen.",
)
