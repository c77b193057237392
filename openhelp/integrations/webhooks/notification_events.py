from openhelp.platform.notifications.events import register

register(
    "webhooks.disabled",
    label="A webhook was disabled",
    description="An endpoint kept failing and nothing more is sent to it until it is enabled again (organisers).",
)
