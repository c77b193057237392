from django.contrib import admin

from openhelp.platform.lib.admin_privacy import PrivateTextAdmin
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.notifications.events import get_event
from openhelp.platform.notifications.models import Notification, NotificationPreference
from openhelp.platform.notifications.tasks import send_notification_email


@admin.register(Notification)
class NotificationAdmin(PrivateTextAdmin):
    # What a notification says is its recipient's: it may quote a private kudos or an introduction.
    private_fields = ("title", "body", "context")
    list_display = ("event", "recipient", "email_to", "title", "created_at", "read_at", "email_status")
    list_filter = ("email_status", "event", "show_in_app")
    search_fields = ("title", "recipient__email", "email_to", "dedupe_key")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [
        "recipient",
        "event",
        "dedupe_key",
        "created_at",
        "email_to",
        "email_sent_at",
        "email_attempts",
        "email_error",
        "chat_status",
        "chat_sent_at",
        "chat_attempts",
        "chat_error",
        "context",
    ]
    actions = ["retry_email"]

    def has_add_permission(self, request) -> bool:
        return False  # notifications come from notify(), which applies preferences and queues the e-mail

    @admin.action(description="Send the e-mail again (failed ones, except one-time links)")
    def retry_email(self, request, queryset) -> None:

        failed = queryset.filter(email_status=Notification.DeliveryStatus.FAILED).values_list("pk", "event")
        # One-time links were erased when they failed for good; the person asks for a new link instead.
        ids = [pk for pk, event in failed if not get_event(event).secret_context]
        Notification.objects.filter(pk__in=ids).update(
            email_status=Notification.DeliveryStatus.PENDING, email_attempts=0
        )
        for pk in ids:
            enqueue_on_commit(send_notification_email, pk)
        self.message_user(request, f"{len(ids)} e-mail(s) queued again.")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(PrivateTextAdmin):
    list_display = ("user", "event", "channel", "enabled")
    list_filter = ("channel", "enabled", "event")
    search_fields = ("user__email", "event")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
