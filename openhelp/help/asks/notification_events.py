"""The ask events (imported at start-up by NotificationsConfig.ready). Routing registers its own."""

from openhelp.platform.notifications.events import register

register(
    "ask.message.received",
    label="New message on an ask",
    description="Someone on an ask you take part in wrote in its thread.",
)
register(
    "ask.answered",
    label="Your ask was answered",
    description="The expert marked your ask as answered; confirm it helped or ask a follow-up.",
)
register(
    "ask.scheduled",
    label="A time was agreed",
    description="The time and place for a call on an ask you take part in were recorded or changed.",
)
register(
    "ask.completed",
    label="An ask you helped with is done",
    description="The person you helped confirmed that it worked.",
)
register(
    "ask.helper_left",
    label="Your ask goes to other experts",
    description="The expert helping with your ask left the organisation, so it is offered to others.",
)
register(
    "ask.cancelled",
    label="An ask was cancelled",
    description="An ask you were helping with or take part in was cancelled, with the reason.",
)
register(
    "ask.co_asker.invited",
    label="You are asked to co-ask",
    description="A teammate asks you to join their ask as a co-asker: accept to follow it, or decline.",
)
register(
    "ask.co_asker.answered",
    label="Someone answered your co-asker invitation",
    description="A teammate you asked to co-ask accepted, declined, or left your ask.",
)
register(
    "ask.co_asker.added",
    label="You were added to an ask",
    description="Before co-askers were asked first: a teammate added you as a co-asker.",
)
